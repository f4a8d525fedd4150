using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MnistMl;
using MnistMl.Data;

// usage: MnistMl.ScoringProcess <model.zip> <images idx> <labels idx> <rows> <output.tsv>
// Writes one line per row: the PredictedLabel key, then the Score values; then the native libraries and
// assemblies of this process that would show a trainer engine was loaded (there must be none).
if (args.Length != 5)
{
    Console.Error.WriteLine("usage: MnistMl.ScoringProcess <model.zip> <images idx> <labels idx> <rows> <output.tsv>");
    return 2;
}
var ml = new MLContext();
var model = ml.Model.Load(args[0], out _);
var data = ml.Data.TakeRows(ml.Data.LoadIdx(args[1], args[2]), int.Parse(args[3], CultureInfo.InvariantCulture));
var scored = model.Transform(data);
var score = scored.Schema["Score"];
var predicted = scored.Schema["PredictedLabel"];
using var output = new StreamWriter(args[4]);
using (var cursor = scored.GetRowCursor([score, predicted]))
{
    var getScore = cursor.GetGetter<VBuffer<float>>(score);
    var getPredicted = cursor.GetGetter<uint>(predicted);
    VBuffer<float> scores = default;
    uint key = 0;
    while (cursor.MoveNext())
    {
        getScore(ref scores);
        getPredicted(ref key);
        output.WriteLine(string.Join('\t', [key.ToString(CultureInfo.InvariantCulture), .. scores.DenseValues().Select(v => v.ToString("R", CultureInfo.InvariantCulture))]));
    }
}
var engine = File.ReadAllLines("/proc/self/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "")
    .Where(p => p.Contains("libtorch", StringComparison.OrdinalIgnoreCase) || p.Contains("LibTorchSharp", StringComparison.OrdinalIgnoreCase))
    .Concat(AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name ?? "").Where(n => n.StartsWith("TorchSharp", StringComparison.Ordinal) || n == "MnistMl.TorchSharp"))
    .Distinct().ToList();
output.WriteLine("engine:" + string.Join(',', engine));
return 0;
