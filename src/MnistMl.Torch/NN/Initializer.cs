namespace MnistMl.Torch.NN;

/// <summary>
/// A named weight initializer, selectable by its Keras name ("he_normal", "HeNormal", "glorot_uniform", …).
/// Keras' defaults apply: RandomNormal/TruncatedNormal σ = 0.05, RandomUniform ±0.05.
/// </summary>
public sealed class Initializer
{
    private readonly Action<Tensor> apply;

    private Initializer(string name, Action<Tensor> apply)
    {
        Name = name;
        this.apply = apply;
    }

    /// <summary>The Keras name, with arguments where it has any (e.g. "constant(0.1)").</summary>
    public string Name { get; }

    /// <summary>Fills the tensor in place (no autograd recording).</summary>
    public void Apply(Tensor tensor) => apply(tensor);

    public override string ToString() => Name;

    public static Initializer Zeros { get; } = new("zeros", Init.Zeros_);
    public static Initializer Ones { get; } = new("ones", Init.Ones_);
    public static Initializer GlorotUniform { get; } = new("glorot_uniform", Init.GlorotUniform_);
    public static Initializer GlorotNormal { get; } = new("glorot_normal", Init.GlorotNormal_);
    public static Initializer HeNormal { get; } = new("he_normal", Init.HeNormal_);
    public static Initializer HeUniform { get; } = new("he_uniform", Init.HeUniform_);
    public static Initializer LecunNormal { get; } = new("lecun_normal", Init.LecunNormal_);
    public static Initializer LecunUniform { get; } = new("lecun_uniform", Init.LecunUniform_);

    public static Initializer Constant(double value) => new($"constant({value:R})", t => Init.Constant_(t, value));
    public static Initializer Normal(double mean = 0, double std = 0.05) => new($"random_normal({mean:R}, {std:R})", t => Init.Normal_(t, mean, std));
    public static Initializer Uniform(double min = -0.05, double max = 0.05) => new($"random_uniform({min:R}, {max:R})", t => Init.Uniform_(t, min, max));
    public static Initializer TruncatedNormal(double mean = 0, double std = 0.05) => new($"truncated_normal({mean:R}, {std:R})", t => Init.TruncatedNormal_(t, mean, std));

    /// <summary>The names <see cref="FromName"/> accepts (Keras snake_case; CamelCase and missing underscores also work).</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "zeros", "ones", "glorot_uniform", "glorot_normal", "he_normal", "he_uniform", "lecun_normal", "lecun_uniform",
        "random_normal", "random_uniform", "truncated_normal", "constant",
    ];

    /// <summary>Looks an initializer up by Keras name, with its Keras default arguments.</summary>
    public static Initializer FromName(string name)
    {
        string key = name.Replace("_", "").ToLowerInvariant();
        return key switch
        {
            "zeros" or "zero" => Zeros,
            "ones" or "one" => Ones,
            "glorotuniform" or "xavieruniform" => GlorotUniform,
            "glorotnormal" or "xaviernormal" => GlorotNormal,
            "henormal" or "kaimingnormal" => HeNormal,
            "heuniform" or "kaiminguniform" => HeUniform,
            "lecunnormal" => LecunNormal,
            "lecununiform" => LecunUniform,
            "randomnormal" or "normal" => Normal(),
            "randomuniform" or "uniform" => Uniform(),
            "truncatednormal" => TruncatedNormal(),
            "constant" => Constant(0),
            _ => throw new ArgumentException($"Unknown initializer '{name}'. Known: {string.Join(", ", Names)}.", nameof(name)),
        };
    }
}
