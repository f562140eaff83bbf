namespace FactCheck.Transparency.Tests;

/// <summary>Every test has a timeout (xunit enforces it on async tests only, so tests are async).</summary>
internal static class Timeouts
{
    public const int Short = 10_000;
    /// <summary>Property tests run hundreds of trees.</summary>
    public const int Property = 120_000;
}
