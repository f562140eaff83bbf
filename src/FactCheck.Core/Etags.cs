namespace FactCheck.Core;

/// <summary>Etags are derived from the stored version: opaque to clients, cheap to compare.</summary>
public static class Etags
{
    public static string For(long version) => $"\"{version}\"";

    public static bool Matches(string? etag, long version) => string.IsNullOrEmpty(etag) || etag == For(version);
}
