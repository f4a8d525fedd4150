namespace MnistMl.Torch.NN;

/// <summary>
/// Batch normalization over the channel dimension (1) with learnable scale (weight, γ) and shift (bias, β) and
/// running statistics used in evaluation mode. PyTorch defaults: eps 1e-5, momentum 0.1 (Keras' momentum 0.99
/// is PyTorch's 0.01, Keras' epsilon 1e-3).
/// </summary>
public abstract class BatchNorm : Module
{
    private readonly int[] acceptedRanks;

    protected BatchNorm(long numFeatures, double eps, double momentum, bool affine, int[] acceptedRanks)
    {
        if (numFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(numFeatures), numFeatures, "Batch normalization needs at least one feature.");
        if (!(eps > 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be positive.");
        if (!(momentum >= 0 && momentum <= 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be in [0, 1].");
        this.acceptedRanks = acceptedRanks;
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        if (affine)
        {
            Weight = RegisterParameter("weight", torch.Ones([numFeatures]));
            Bias = RegisterParameter("bias", torch.Zeros([numFeatures]));
        }
        RunningMean = RegisterBuffer("running_mean", torch.Zeros([numFeatures]));
        RunningVar = RegisterBuffer("running_var", torch.Ones([numFeatures]));
    }

    public long NumFeatures { get; }
    public double Eps { get; }
    public double Momentum { get; }
    public Tensor? Weight { get; }
    public Tensor? Bias { get; }
    public Tensor RunningMean { get; }
    public Tensor RunningVar { get; }

    public override Tensor Forward(Tensor input)
    {
        if (!acceptedRanks.Contains(input.Dim) || input.Size(1) != NumFeatures)
            throw new ArgumentException($"{GetType().Name}({NumFeatures}) expects a {string.Join(" or ", acceptedRanks)}-D input with {NumFeatures} channels in dimension 1; got [{string.Join(", ", input.Shape)}].", nameof(input));
        return Functional.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, Training, Momentum, Eps);
    }
}

/// <summary>Batch normalization of [N, C] or [N, C, L] input (torch.nn.BatchNorm1d).</summary>
public sealed class BatchNorm1d(long numFeatures, double eps = 1e-5, double momentum = 0.1, bool affine = true)
    : BatchNorm(numFeatures, eps, momentum, affine, [2, 3]);

/// <summary>Batch normalization of [N, C, H, W] input (torch.nn.BatchNorm2d).</summary>
public sealed class BatchNorm2d(long numFeatures, double eps = 1e-5, double momentum = 0.1, bool affine = true)
    : BatchNorm(numFeatures, eps, momentum, affine, [4]);
