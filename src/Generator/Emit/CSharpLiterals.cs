using Microsoft.CodeAnalysis.CSharp;
using TypedSessions.Generator.Model;

namespace TypedSessions.Generator.Emit;

/// <summary>Writes a <see cref="ConstantValue"/> (a parameter's default) as a C# expression of its exact type.</summary>
internal static class CSharpLiterals
{
    public static string Of(ConstantValue constant)
    {
        var value = constant.Value;
        if (value is null)
        {
            return "default!";
        }

        var text = SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false);
        if (constant.IsEnum)
        {
            return $"({constant.TypeName})({text})";
        }

        return value switch
        {
            decimal => text + "m",
            float f => float.IsNaN(f) ? "float.NaN" : float.IsPositiveInfinity(f) ? "float.PositiveInfinity" : float.IsNegativeInfinity(f) ? "float.NegativeInfinity" : text + "f",
            double d => double.IsNaN(d) ? "double.NaN" : double.IsPositiveInfinity(d) ? "double.PositiveInfinity" : double.IsNegativeInfinity(d) ? "double.NegativeInfinity" : text + "d",
            long => text + "L",
            ulong => text + "UL",
            uint => text + "U",
            _ => $"({constant.TypeName})({text})",
        };
    }
}
