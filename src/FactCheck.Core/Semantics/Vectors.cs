using System.Numerics;
using System.Runtime.InteropServices;

namespace FactCheck.Core.Semantics;

/// <summary>Arithmetic on sentence vectors (SIMD through <see cref="Vector{T}"/>, so Core needs no math package).</summary>
public static class Vectors
{
    /// <summary>Cosine similarity of two unit vectors: their dot product.</summary>
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Dot(a, b);

    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"vectors of {a.Length} and {b.Length} dimensions");
        var wide = MemoryMarshal.Cast<float, Vector<float>>(a);
        var wideB = MemoryMarshal.Cast<float, Vector<float>>(b);
        var sum = Vector<float>.Zero;
        for (var i = 0; i < wide.Length; i++) sum += wide[i] * wideB[i];
        var dot = Vector.Sum(sum);
        for (var i = wide.Length * Vector<float>.Count; i < a.Length; i++) dot += a[i] * b[i];
        return dot;
    }

    /// <summary>Scales the vector to unit length in place; a zero vector stays zero.</summary>
    public static void Normalize(Span<float> vector)
    {
        var norm = MathF.Sqrt(Dot(vector, vector));
        if (norm == 0) return;
        for (var i = 0; i < vector.Length; i++) vector[i] /= norm;
    }
}
