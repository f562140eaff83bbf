namespace FactCheck.Bench.Semantics;

/// <summary>
/// Embedded bench texts kept on disk (raw little-endian float32, <c>dimensions</c> per vector), so the slow part —
/// embedding, ~190 texts/s on two cores — is done once and the index measurements can be rerun on the same vectors.
/// </summary>
public static class VectorFile
{
    public static void Write(string path, IReadOnlyList<float[]> vectors)
    {
        using var stream = File.Create(path);
        foreach (var v in vectors) stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(v.AsSpan()));
    }

    public static float[][] Read(string path, int dimensions)
    {
        var bytes = File.ReadAllBytes(path);
        var floats = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes);
        var vectors = new float[floats.Length / dimensions][];
        for (var i = 0; i < vectors.Length; i++) vectors[i] = floats.Slice(i * dimensions, dimensions).ToArray();
        return vectors;
    }
}
