using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace FactCheck.Core.Access;

/// <summary>An authenticated caller.</summary>
public sealed record Caller(string Principal, Roles Roles)
{
    /// <summary>Admin can do everything; every role can read.</summary>
    public bool Has(Roles required) =>
        Roles.HasFlag(Roles.Admin) || (Roles & required) == required || (required == Roles.Reader && Roles != Roles.None);
}

/// <summary>A key given in configuration rather than created through the API (kept in memory only).</summary>
public sealed class ConfiguredKey
{
    public string Principal { get; set; } = "";
    /// <summary>Comma-separated: reader, editor, reviewer, auditor, admin.</summary>
    public string Roles { get; set; } = "";
    /// <summary>The secret itself (convenient for development and tests)...</summary>
    public string? Secret { get; set; }
    /// <summary>...or its SHA-256 in hex (keeps the secret out of configuration).</summary>
    public string? SecretSha256 { get; set; }
}

/// <summary>Creates, revokes and checks API keys. Only SHA-256 hashes of secrets are kept.</summary>
public sealed class ApiKeyRegistry(IApiKeyStore store, IDomainEvents events, TimeProvider clock)
{
    public const string SecretPrefix = "fck_";
    // Lookups are cached briefly so authentication costs no database round trip per request; a revocation made
    // through this instance applies at once, one made through another instance within this time.
    public static readonly TimeSpan CacheTime = TimeSpan.FromSeconds(10);

    // Keyed by the secret as sent, so a cached key costs no SHA-256 either (about 1 µs through OpenSSL, a tenth of a
    // cached GetClaim). The secret is already in memory for as long as its request lives; here it stays at most
    // CacheTime after its last lookup, and is compared in fixed time (SecretComparer).
    private readonly ConcurrentDictionary<string, (Caller? Caller, DateTimeOffset Expires)> cache = new(SecretComparer.Instance);
    // Bumped by every revocation: a lookup that started before it must not cache what it read.
    private long revocations;
    private IReadOnlyDictionary<string, Caller> configured = new Dictionary<string, Caller>();

    public void Configure(IEnumerable<ConfiguredKey> keys)
    {
        var configured = new Dictionary<string, Caller>();
        foreach (var key in keys)
        {
            var hash = key.SecretSha256 ?? (key.Secret is { Length: > 0 } secret ? Convert.ToHexStringLower(Hash(secret)) : null);
            if (string.IsNullOrWhiteSpace(key.Principal) || hash is null)
                throw new InvalidOperationException("each Auth:Keys entry needs a Principal and a Secret or SecretSha256");
            configured[hash.ToLowerInvariant()] = new Caller(key.Principal, ParseRoles(key.Roles));
        }
        this.configured = configured;
        cache.Clear();
    }

    /// <summary>The caller a secret belongs to, or null for an unknown or revoked key.</summary>
    public ValueTask<Caller?> AuthenticateAsync(string secret, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return cache.TryGetValue(secret, out var cached) && cached.Expires > now
            ? ValueTask.FromResult(cached.Caller)
            : LookUpAsync(secret, now, cancellationToken);
    }

    private async ValueTask<Caller?> LookUpAsync(string secret, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var hash = Hash(secret);
        // Configured keys never change while the process runs, so their lookups need no expiry, only the bound.
        if (configured.TryGetValue(Convert.ToHexStringLower(hash), out var configuredCaller))
        {
            Remember(secret, configuredCaller, DateTimeOffset.MaxValue, Interlocked.Read(ref revocations));
            return configuredCaller;
        }
        // Stored keys have one shape; anything else is refused without a database query (and not remembered).
        if (!IsWellFormed(secret)) return null;
        var revocationsBefore = Interlocked.Read(ref revocations);
        var key = await store.FindApiKeyAsync(hash, cancellationToken);
        var caller = key is { RevokeTime: null } ? new Caller(key.Principal, key.Roles) : null;
        Remember(secret, caller, now + CacheTime, revocationsBefore);
        return caller;
    }

    private void Remember(string secret, Caller? caller, DateTimeOffset expires, long revocationsBefore)
    {
        if (cache.Count > 10_000) cache.Clear(); // bound memory against floods of random keys
        // A lookup that started before a revocation must not cache what it read.
        if (Interlocked.Read(ref revocations) == revocationsBefore) cache[secret] = (caller, expires);
    }

    public async Task<(ApiKey Key, string Secret)> CreateAsync(string principal, Roles roles, string? description, Actor actor, CancellationToken cancellationToken)
    {
        var v = new ViolationCollector();
        v.Required("api_key.principal", principal, Limits.NameLength);
        if (roles == Roles.None) v.Add("api_key.roles", "at least one role is required");
        v.MaxLength("api_key.description", description, Limits.DescriptionLength);
        v.ThrowIfAny();
        var secret = SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var key = await store.CreateApiKeyAsync(new ApiKey
        {
            Id = ResourceNames.NewId(clock),
            Principal = principal.Trim(),
            Roles = roles,
            SecretHash = Hash(secret),
            Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim(),
            CreateTime = clock.GetUtcNow(),
        }, actor.For(AuditActions.ApiKeyCreate), cancellationToken);
        return (key, secret);
    }

    public Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken) => store.ListApiKeysAsync(cancellationToken);

    public async Task<ApiKey> RevokeAsync(string id, Actor actor, CancellationToken cancellationToken)
    {
        var key = await store.RevokeApiKeyAsync(id, clock.GetUtcNow(), actor.For(AuditActions.ApiKeyRevoke), cancellationToken);
        Interlocked.Increment(ref revocations);
        cache.Clear();
        await events.PublishAsync(new ApiKeyRevoked(key.Id));
        return key;
    }

    /// <summary>
    /// First start with no key anywhere: creates an admin key so the server never runs open, and returns its secret
    /// for the operator (shown once; only its hash is stored). Null when keys exist.
    /// </summary>
    public async Task<string?> BootstrapAsync(CancellationToken cancellationToken)
    {
        if (configured.Count > 0 || (await store.ListApiKeysAsync(cancellationToken)).Count > 0) return null;
        var (_, secret) = await CreateAsync("admin", Roles.Admin, "created at first start", new Actor("system", "first start: no API key existed"), cancellationToken);
        return secret;
    }

    public static Roles ParseRoles(string roles) => roles
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Aggregate(Roles.None, (all, role) => all | (Enum.TryParse<Roles>(role, ignoreCase: true, out var parsed) && parsed != Roles.None
            ? parsed
            : throw new InvalidOperationException($"unknown role '{role}': use reader, editor, reviewer, auditor or admin")));

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>Ordinal equality in time that does not depend on where two secrets differ; hash codes are the
    /// process-randomized ordinal ones, so a caller cannot aim at a cached secret's bucket either.</summary>
    private sealed class SecretComparer : IEqualityComparer<string>
    {
        public static readonly SecretComparer Instance = new();

        public bool Equals(string? x, string? y) =>
            x is not null && y is not null && CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(x.AsSpan()), MemoryMarshal.AsBytes(y.AsSpan()));

        public int GetHashCode(string secret) => secret.GetHashCode(StringComparison.Ordinal);
    }

    private const int SecretLength = 47; // "fck_" + 32 bytes in unpadded base64url

    private static bool IsWellFormed(string secret) =>
        secret.Length == SecretLength && secret.StartsWith(SecretPrefix, StringComparison.Ordinal)
        && secret.AsSpan(SecretPrefix.Length).IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") < 0;
}
