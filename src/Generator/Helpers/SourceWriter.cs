using System;
using System.Text;

namespace TypedSessions.Generator.Helpers;

/// <summary>A small indentation-aware text builder for emitting C#.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public SourceWriter WriteLine(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4);
            _text.Append(line);
        }

        _text.Append('\n');
        return this;
    }

    /// <summary>Writes each line of a multi-line block at the current indentation.</summary>
    public SourceWriter WriteBlock(string block)
    {
        foreach (var line in block.Replace("\r\n", "\n").Split('\n'))
        {
            WriteLine(line);
        }

        return this;
    }

    public SourceWriter OpenBrace()
    {
        WriteLine("{");
        _indent++;
        return this;
    }

    public SourceWriter CloseBrace(string suffix = "")
    {
        _indent = Math.Max(0, _indent - 1);
        WriteLine("}" + suffix);
        return this;
    }

    public override string ToString() => _text.ToString();
}
