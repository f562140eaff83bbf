namespace FactCheck.Transparency.Tests;

/// <summary>Beyond <see cref="TestTimeouts"/>: property tests run hundreds of trees.</summary>
internal static class Timeouts
{
    public const int Property = 120_000;
}
