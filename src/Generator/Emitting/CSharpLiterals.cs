using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;
using TypedSessions.Generator.Model;

namespace TypedSessions.Generator.Emitting;

/// <summary>Values of the model written as C# literals, the same on every machine (invariant culture).</summary>
internal static class CSharpLiterals
{
    /// <summary>A quoted, escaped string literal.</summary>
    public static string String(string value) => SymbolDisplay.FormatLiteral(value, quote: true);

    /// <summary>A UTF-8 string literal (<c>"name"u8</c>), for comparing member names without decoding them.</summary>
    public static string Utf8String(string value) => String(value) + "u8";

    public static string Hex(uint value) => "0x" + value.ToString("X8", CultureInfo.InvariantCulture) + "u";

    public static string Hex(ulong value) => "0x" + value.ToString("X16", CultureInfo.InvariantCulture) + "UL";

    /// <summary>
    /// A constructor parameter's default value as an expression of the parameter's type: numbers C# writes
    /// with a suffix take it (m, f, d, L, UL, U), every other constant is cast to the parameter's type (an
    /// enum's to the enum), and the float and double specials, which have no literal, are named.
    /// </summary>
    public static string DefaultValue(DefaultValueSpec spec)
    {
        var value = spec.Value.Value;
        if (value is null)
        {
            return "default!";
        }

        var text = SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false);
        if (spec.EnumTypeName is not null)
        {
            return $"({spec.EnumTypeName})({text})";
        }

        return value switch
        {
            decimal => text + "m",
            float f => float.IsNaN(f) ? "float.NaN" : float.IsPositiveInfinity(f) ? "float.PositiveInfinity" : float.IsNegativeInfinity(f) ? "float.NegativeInfinity" : text + "f",
            double d => double.IsNaN(d) ? "double.NaN" : double.IsPositiveInfinity(d) ? "double.PositiveInfinity" : double.IsNegativeInfinity(d) ? "double.NegativeInfinity" : text + "d",
            long => text + "L",
            ulong => text + "UL",
            uint => text + "U",
            _ => $"({spec.TypeName})({text})",
        };
    }
}
