using MnistMl.Torch.Native;

namespace MnistMl.Torch;

// Elementwise arithmetic with broadcasting, comparisons and PyTorch's in-place (trailing underscore) updates.
public sealed partial class Tensor
{
    private Tensor Unary(UnaryOp op) => Wrap(NativeMethods.mm_unary(Handle, op), op.ToString());
    private Tensor Binary(Tensor other, BinaryOp op, double alpha = 1) => Wrap(NativeMethods.mm_binary(Handle, other.Handle, op, alpha), op.ToString());
    private Tensor Binary(double scalar, BinaryOp op) => Wrap(NativeMethods.mm_binary_scalar(Handle, scalar, op), op.ToString());

    public static Tensor operator +(Tensor a, Tensor b) => a.Binary(b, BinaryOp.Add);
    public static Tensor operator +(Tensor a, double b) => a.Binary(b, BinaryOp.Add);
    public static Tensor operator +(double a, Tensor b) => b.Binary(a, BinaryOp.Add);
    public static Tensor operator -(Tensor a, Tensor b) => a.Binary(b, BinaryOp.Sub);
    public static Tensor operator -(Tensor a, double b) => a.Binary(b, BinaryOp.Sub);
    public static Tensor operator -(double a, Tensor b) => Wrap(NativeMethods.mm_scalar_binary(a, b.Handle, BinaryOp.Sub), "Sub");
    public static Tensor operator *(Tensor a, Tensor b) => a.Binary(b, BinaryOp.Mul);
    public static Tensor operator *(Tensor a, double b) => a.Binary(b, BinaryOp.Mul);
    public static Tensor operator *(double a, Tensor b) => b.Binary(a, BinaryOp.Mul);
    public static Tensor operator /(Tensor a, Tensor b) => a.Binary(b, BinaryOp.Div);
    public static Tensor operator /(Tensor a, double b) => a.Binary(b, BinaryOp.Div);
    public static Tensor operator /(double a, Tensor b) => Wrap(NativeMethods.mm_scalar_binary(a, b.Handle, BinaryOp.Div), "Div");
    public static Tensor operator -(Tensor a) => a.Unary(UnaryOp.Neg);

    /// <summary>this + alpha * other.</summary>
    public Tensor Add(Tensor other, double alpha = 1) => Binary(other, BinaryOp.Add, alpha);
    public Tensor Sub(Tensor other, double alpha = 1) => Binary(other, BinaryOp.Sub, alpha);
    public Tensor Mul(Tensor other) => Binary(other, BinaryOp.Mul);
    public Tensor Div(Tensor other) => Binary(other, BinaryOp.Div);
    public Tensor Pow(Tensor exponent) => Binary(exponent, BinaryOp.Pow);
    public Tensor Pow(double exponent) => Binary(exponent, BinaryOp.Pow);
    public Tensor Remainder(double divisor) => Binary(divisor, BinaryOp.Remainder);
    public Tensor Maximum(Tensor other) => Binary(other, BinaryOp.Maximum);
    public Tensor Minimum(Tensor other) => Binary(other, BinaryOp.Minimum);
    public Tensor MatMul(Tensor other) => Wrap(NativeMethods.mm_matmul(Handle, other.Handle));

    public Tensor Neg() => Unary(UnaryOp.Neg);
    public Tensor Abs() => Unary(UnaryOp.Abs);
    public Tensor Sqrt() => Unary(UnaryOp.Sqrt);
    public Tensor Rsqrt() => Unary(UnaryOp.Rsqrt);
    public Tensor Exp() => Unary(UnaryOp.Exp);
    public Tensor Log() => Unary(UnaryOp.Log);
    public Tensor Log1p() => Unary(UnaryOp.Log1p);
    public Tensor Expm1() => Unary(UnaryOp.Expm1);
    public Tensor Square() => Unary(UnaryOp.Square);
    public Tensor Sign() => Unary(UnaryOp.Sign);
    public Tensor Reciprocal() => Unary(UnaryOp.Reciprocal);
    public Tensor Erf() => Unary(UnaryOp.Erf);
    public Tensor Erfinv() => Unary(UnaryOp.Erfinv);
    public Tensor Floor() => Unary(UnaryOp.Floor);
    public Tensor Ceil() => Unary(UnaryOp.Ceil);
    public Tensor Round() => Unary(UnaryOp.Round);
    public Tensor Sin() => Unary(UnaryOp.Sin);
    public Tensor Cos() => Unary(UnaryOp.Cos);
    public Tensor Relu() => Unary(UnaryOp.Relu);
    public Tensor Sigmoid() => Unary(UnaryOp.Sigmoid);
    public Tensor Tanh() => Unary(UnaryOp.Tanh);
    public Tensor LogicalNot() => Unary(UnaryOp.LogicalNot);
    public Tensor IsNan() => Unary(UnaryOp.IsNan);
    public Tensor IsFinite() => Unary(UnaryOp.IsFinite);
    public Tensor LogicalAnd(Tensor other) => Binary(other, BinaryOp.LogicalAnd);
    public Tensor LogicalOr(Tensor other) => Binary(other, BinaryOp.LogicalOr);

    /// <summary>Limits elements to [min, max]; a null bound is not applied.</summary>
    public Tensor Clamp(double? min = null, double? max = null) =>
        Wrap(NativeMethods.mm_clamp(Handle, min ?? 0, max ?? 0, min.HasValue ? 1 : 0, max.HasValue ? 1 : 0));

    // ---- comparisons (bool tensors) ----
    public Tensor Eq(Tensor other) => Binary(other, BinaryOp.Eq);
    public Tensor Eq(double other) => Binary(other, BinaryOp.Eq);
    public Tensor Ne(Tensor other) => Binary(other, BinaryOp.Ne);
    public Tensor Ne(double other) => Binary(other, BinaryOp.Ne);
    public Tensor Lt(Tensor other) => Binary(other, BinaryOp.Lt);
    public Tensor Lt(double other) => Binary(other, BinaryOp.Lt);
    public Tensor Le(Tensor other) => Binary(other, BinaryOp.Le);
    public Tensor Le(double other) => Binary(other, BinaryOp.Le);
    public Tensor Gt(Tensor other) => Binary(other, BinaryOp.Gt);
    public Tensor Gt(double other) => Binary(other, BinaryOp.Gt);
    public Tensor Ge(Tensor other) => Binary(other, BinaryOp.Ge);
    public Tensor Ge(double other) => Binary(other, BinaryOp.Ge);

    // ---- in place (return this, as PyTorch) ----
    private Tensor InPlace(int status, string operation)
    {
        Check(status, operation);
        return this;
    }

    /// <summary>this += alpha * other.</summary>
    public Tensor Add_(Tensor other, double alpha = 1) => InPlace(NativeMethods.mm_binary_(Handle, other.Handle, BinaryOp.Add, alpha), "Add_");
    public Tensor Add_(double value) => InPlace(NativeMethods.mm_binary_scalar_(Handle, value, BinaryOp.Add), "Add_");
    public Tensor Sub_(Tensor other, double alpha = 1) => InPlace(NativeMethods.mm_binary_(Handle, other.Handle, BinaryOp.Sub, alpha), "Sub_");
    public Tensor Mul_(Tensor other) => InPlace(NativeMethods.mm_binary_(Handle, other.Handle, BinaryOp.Mul, 1), "Mul_");
    public Tensor Mul_(double value) => InPlace(NativeMethods.mm_binary_scalar_(Handle, value, BinaryOp.Mul), "Mul_");
    public Tensor Div_(Tensor other) => InPlace(NativeMethods.mm_binary_(Handle, other.Handle, BinaryOp.Div, 1), "Div_");
    public Tensor Div_(double value) => InPlace(NativeMethods.mm_binary_scalar_(Handle, value, BinaryOp.Div), "Div_");
    public Tensor Maximum_(Tensor other) => InPlace(NativeMethods.mm_binary_(Handle, other.Handle, BinaryOp.Maximum, 1), "Maximum_");
    public Tensor Copy_(Tensor source) => InPlace(NativeMethods.mm_binary_(Handle, source.Handle, BinaryOp.Copy, 1), "Copy_");
    public Tensor Fill_(double value) => InPlace(NativeMethods.mm_binary_scalar_(Handle, value, BinaryOp.Fill), "Fill_");
    public Tensor Zero_() => InPlace(NativeMethods.mm_zero_(Handle), "Zero_");
    public Tensor Sqrt_() => InPlace(NativeMethods.mm_unary_(Handle, UnaryOp.Sqrt), "Sqrt_");
    public Tensor Erfinv_() => InPlace(NativeMethods.mm_unary_(Handle, UnaryOp.Erfinv), "Erfinv_");

    /// <summary>this += value * t1 * t2.</summary>
    public Tensor Addcmul_(Tensor t1, Tensor t2, double value = 1) => InPlace(NativeMethods.mm_addcmul_(Handle, t1.Handle, t2.Handle, value), "Addcmul_");

    /// <summary>this += value * t1 / t2.</summary>
    public Tensor Addcdiv_(Tensor t1, Tensor t2, double value = 1) => InPlace(NativeMethods.mm_addcdiv_(Handle, t1.Handle, t2.Handle, value), "Addcdiv_");

    public Tensor Clamp_(double? min = null, double? max = null) =>
        InPlace(NativeMethods.mm_clamp_(Handle, min ?? 0, max ?? 0, min.HasValue ? 1 : 0, max.HasValue ? 1 : 0), "Clamp_");

    /// <summary>Fills with samples of U(from, to) from the seeded generator.</summary>
    public Tensor Uniform_(double from = 0, double to = 1) => InPlace(NativeMethods.mm_uniform_(Handle, from, to), "Uniform_");

    /// <summary>Fills with samples of N(mean, std²) from the seeded generator.</summary>
    public Tensor Normal_(double mean = 0, double std = 1) => InPlace(NativeMethods.mm_normal_(Handle, mean, std), "Normal_");
}
