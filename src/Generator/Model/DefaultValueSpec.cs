using System;
using System.Linq;

namespace TypedSessions.Generator.Model;

/// <summary>
/// A constructor parameter's default value: what a member missing from the bytes takes when its type
/// has no default instance to copy it from. The emitter writes it as C# (Emitting/CSharpLiterals).
/// </summary>
/// <param name="Value">The constant; for an enum, its underlying number.</param>
/// <param name="TypeName">The parameter's type, global::-qualified, without a nullable reference annotation.</param>
/// <param name="EnumTypeName">The enum type when the parameter is an enum or a Nullable of one, else null.</param>
internal sealed record DefaultValueSpec(ConstantValue Value, string TypeName, string? EnumTypeName);

/// <summary>A C# constant as the compiler gives it: null, a bool, a char, a string or a number.</summary>
/// <remarks>
/// Its own equality, because <see cref="object.Equals(object, object)"/> calls 0.0 and -0.0 equal, and
/// 1.5m and 1.50m, which C# writes differently: after such an edit the pipeline would think nothing
/// changed and keep the old text. Compared here by their bits, the model stays exact.
/// </remarks>
internal readonly record struct ConstantValue(object? Value)
{
    public bool Equals(ConstantValue other) => (Value, other.Value) switch
    {
        (double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b),
        (float a, float b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b), // widening keeps the sign of zero
        (decimal a, decimal b) => decimal.GetBits(a).SequenceEqual(decimal.GetBits(b)),
        var (a, b) => object.Equals(a, b),
    };

    public override int GetHashCode() => Value?.GetHashCode() ?? 0;
}
