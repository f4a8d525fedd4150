using System.Globalization;
using System.Numerics;

namespace MnistMl.Evaluation;

/// <summary>Number formatting that reproduces Python's <c>format(x, ".Nf")</c> and <c>str(x)</c>.</summary>
internal static class PythonNumberFormat
{
    /// <summary>
    /// Formats <paramref name="value"/> with <paramref name="digits"/> decimals the way Python does:
    /// rounding the exact binary value half to even. .NET's "F" format rounds exact ties
    /// (0.125, 0.375, 0.625, ...) away from zero, which would print "0.13" where Python prints "0.12".
    /// </summary>
    public static string Fixed(double value, int digits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(digits);
        if (double.IsNaN(value))
            return "nan";
        if (double.IsInfinity(value))
            return value > 0 ? "inf" : "-inf";

        long bits = BitConverter.DoubleToInt64Bits(value);
        bool negative = bits < 0;
        int exponent = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xF_FFFF_FFFF_FFFFL;
        if (exponent == 0)
            exponent = 1; // subnormal
        else
            mantissa |= 1L << 52;
        exponent -= 1075; // |value| = mantissa * 2^exponent, exactly

        BigInteger numerator = mantissa;
        BigInteger denominator = BigInteger.One;
        if (exponent > 0)
            numerator <<= exponent;
        else
            denominator <<= -exponent;
        numerator *= BigInteger.Pow(10, digits);

        BigInteger quotient = BigInteger.DivRem(numerator, denominator, out BigInteger remainder);
        int half = (remainder * 2).CompareTo(denominator);
        if (half > 0 || (half == 0 && !quotient.IsEven))
            quotient += 1;

        string text = quotient.ToString(CultureInfo.InvariantCulture).PadLeft(digits + 1, '0');
        if (digits > 0)
            text = string.Concat(text.AsSpan(0, text.Length - digits), ".", text.AsSpan(text.Length - digits));
        return negative ? "-" + text : text;
    }

    /// <summary>
    /// Formats a support value: an integral count as an integer (as scikit-learn prints its integer supports),
    /// a fractional (weighted) count as the shortest round-trip form, like Python's <c>str(float)</c>.
    /// </summary>
    public static string Count(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15
            ? ((long)value).ToString(CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture);
}
