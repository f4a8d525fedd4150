namespace MnistMl.Torch.Native;

// Operation codes of the shim's dispatching entry points (src/MnistMl.Native/src/math.cpp); keep in step.

internal enum UnaryOp
{
    Neg = 0, Abs, Sqrt, Rsqrt, Exp, Log, Log1p, Expm1, Square, Sign, Reciprocal,
    Erfinv, Floor, Ceil, Round, Sin, Cos, LogicalNot, IsNan, IsFinite,
    Relu, Sigmoid, Tanh, Selu, Silu, Erf,
}

internal enum BinaryOp
{
    Add = 0, Sub, Mul, Div, Pow, Eq, Ne, Lt, Le, Gt, Ge, Maximum, Minimum,
    Remainder, LogicalAnd, LogicalOr, Copy, Fill,
}

internal enum ReduceOp
{
    Sum = 0, Mean, Amax, Amin, Var, Std, Prod,
}
