using TypedSessions.Generator.Emitting;
using TypedSessions.Generator.Model;

namespace TypedSessions.Generator.Tests;

/// <summary>The model's constants compare exactly, so an edit that changes the written C# is never taken for no change.</summary>
public class ModelTests
{
    [Fact]
    public void Constants_that_Equals_confuses_but_CSharp_writes_differently_are_not_equal()
    {
        Assert.NotEqual(new ConstantValue(0.0), new ConstantValue(-0.0));
        Assert.NotEqual(new ConstantValue(0f), new ConstantValue(-0f));
        Assert.NotEqual(new ConstantValue(1.5m), new ConstantValue(1.50m));
        Assert.NotEqual(new ConstantValue(1), new ConstantValue(1L));
    }

    [Fact]
    public void Equal_constants_are_equal()
    {
        Assert.Equal(new ConstantValue(double.NaN), new ConstantValue(double.NaN));
        Assert.Equal(new ConstantValue(1.50m), new ConstantValue(1.50m));
        Assert.Equal(new ConstantValue("light"), new ConstantValue("light"));
        Assert.Equal(new ConstantValue(null), new ConstantValue(null));
    }

    [Theory]
    [InlineData(-0.0, "-0d")]
    [InlineData(double.NaN, "double.NaN")]
    [InlineData(double.NegativeInfinity, "double.NegativeInfinity")]
    [InlineData(0.1, "0.1d")]
    public void Doubles_are_written_exactly(double value, string expected) =>
        Assert.Equal(expected, CSharpLiterals.DefaultValue(new DefaultValueSpec(new ConstantValue(value), "double", null)));

    [Fact]
    public void Enums_are_written_as_a_cast_of_their_number_and_null_as_default() 
    {
        Assert.Equal("(global::Shop.Size)(-1)", CSharpLiterals.DefaultValue(new DefaultValueSpec(new ConstantValue(-1), "global::Shop.Size?", "global::Shop.Size")));
        Assert.Equal("default!", CSharpLiterals.DefaultValue(new DefaultValueSpec(new ConstantValue(null), "string", null)));
    }
}
