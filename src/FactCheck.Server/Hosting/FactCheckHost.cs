using FactCheck.Caching;
using FactCheck.Core.Access;
using FactCheck.Core.Audit;
using FactCheck.Core.Claims;
using FactCheck.Core.Events;
using FactCheck.Core.Paging;
using FactCheck.Core.Relations;
using FactCheck.Core.Reviews;
using FactCheck.Core.Speakers;
using FactCheck.Core.Verification;
using FactCheck.Search;
using FactCheck.Semantics.Hosting;
using FactCheck.Server.Access;
using FactCheck.Server.Grpc;
using FactCheck.Storage.Postgres;
using FactCheck.Storage.Sqlite;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace FactCheck.Server.Hosting;

/// <summary>Builds the FactCheck web application; used by Program and by tests that host it in-process.</summary>
public static class FactCheckHost
{
    // Explicit limits so an oversized request fails fast with RESOURCE_EXHAUSTED instead of using memory.
    // A claim is at most ~10k characters plus its appearances; 4 MiB leaves room for batch requests.
    public const int MaxReceiveMessageBytes = 4 * 1024 * 1024;
    // A 1000-claim page of large claims can be big; cap it well above that.
    public const int MaxSendMessageBytes = 64 * 1024 * 1024;

    /// <summary>The application, not started: the store's schema is brought up to date as it starts.</summary>
    public static Task<WebApplication> BuildAsync(string[] args, CancellationToken cancellationToken = default)
    {
        // Content root at the binaries, so appsettings.json is found whatever the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        // gRPC without TLS needs HTTP/2 with prior knowledge; an endpoint configured without Protocols gets it too.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http2));
        builder.Services.AddSingleton(TimeProvider.System);
        // First, so that its schema migration runs before any other hosted service reads the store.
        builder.Services.AddStore(builder.Configuration);
        // Committed writes are told to every listener: the cache, and the semantic indexer.
        builder.Services.AddSingleton<IDomainEvents, DomainEventBus>();
        builder.Services.AddResponseCache(builder.Configuration);
        builder.Services.AddSemantics(builder.Configuration);
        builder.Services.AddAuditLogKey(builder.Configuration);
        // The domain services, the interceptors and the gRPC services hold nothing per call: one instance each, so a
        // call skips building them and resolving their parts.
        Type[] singletons =
        [
            typeof(PageTokens), typeof(SpeakerDirectory), typeof(ClaimRegistry), typeof(ClaimReviews), typeof(ClaimRelations),
            typeof(AttributionVerifier), typeof(AuditLog), typeof(RecordHistory), typeof(ApiKeyRegistry),
            typeof(ErrorMappingInterceptor), typeof(CallerLogScopeInterceptor),
            typeof(SpeakerGrpcService), typeof(ClaimGrpcService), typeof(ClaimRelationGrpcService), typeof(AuditGrpcService), typeof(AdminGrpcService),
        ];
        foreach (var singleton in singletons) builder.Services.AddSingleton(singleton);
        builder.Services.AddHostedService<FirstStartKey>();
        builder.Services.AddApiKeyAccess();
        builder.Services.AddRateLimits(builder.Configuration);
        builder.Services.AddGrpc(options =>
        {
            options.MaxReceiveMessageSize = MaxReceiveMessageBytes;
            options.MaxSendMessageSize = MaxSendMessageBytes;
            options.Interceptors.Add<ErrorMappingInterceptor>();
            options.Interceptors.Add<CallerLogScopeInterceptor>();
        }).AddJsonTranscoding();
        builder.Services.AddHttpSurface(builder.Configuration);
        builder.AddFactCheckTelemetry();
        // Last: health checks and reflection call AddGrpc again, which would put grpc-dotnet's default binder back.
        builder.Services.AddMalformedRequestGuard();

        var app = builder.Build();
        app.MapGrpcService<SpeakerGrpcService>().RequireAccessRules().RequireStreamLimits();
        app.MapGrpcService<ClaimGrpcService>().RequireAccessRules().RequireStreamLimits();
        app.MapGrpcService<ClaimRelationGrpcService>().RequireAccessRules().RequireStreamLimits();
        app.MapGrpcService<AuditGrpcService>().RequireAccessRules().RequireStreamLimits();
        app.MapGrpcService<AdminGrpcService>().RequireAccessRules().RequireStreamLimits();
        app.MapHttpSurface();
        if (app.Configuration.GetValue<bool>("Benchmark:Enabled")) app.MapGrpcService<BenchmarkGrpcService>();
        AccessRules.EnsureEveryRpcIsGuarded(((IEndpointRouteBuilder)app).DataSources.SelectMany(source => source.Endpoints));
        return Task.FromResult(app);
    }

    /// <summary>The store <c>Storage:Provider</c> names: <c>sqlite</c> (the default) or <c>postgres</c>, and the claim
    /// search in front of it (<see cref="AddClaimSearch"/>).</summary>
    private static IServiceCollection AddStore(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = configuration["Storage:Provider"] ?? "sqlite";
        return provider.ToLowerInvariant() switch
        {
            "sqlite" => services.AddSqliteStore(configuration).AddClaimSearch(configuration,
                Path.Combine(Path.GetDirectoryName(configuration["Storage:Sqlite:Path"] ?? new SqliteStoreOptions().Path) ?? "", "search-index")),
            "postgres" => services.AddPostgresStore(configuration).AddClaimSearch(configuration, Path.Combine("data", "search-index")),
            _ => throw new InvalidOperationException($"Storage:Provider '{provider}' is not supported; use 'sqlite' or 'postgres'"),
        };
    }

    /// <summary><c>Search:Engine</c>: <c>lucene</c> (the default; its index at <c>Search:IndexPath</c>, by default
    /// <paramref name="defaultIndexPath"/>) or <c>store</c> (the store's own full-text index: FTS5 or tsvector).</summary>
    private static IServiceCollection AddClaimSearch(this IServiceCollection services, IConfiguration configuration, string defaultIndexPath)
    {
        var engine = configuration["Search:Engine"] ?? "lucene";
        return engine.ToLowerInvariant() switch
        {
            "lucene" => services.AddIndexedClaimSearch(configuration["Search:IndexPath"] ?? defaultIndexPath),
            "store" => services,
            _ => throw new InvalidOperationException($"Search:Engine '{engine}' is not supported; use 'lucene' or 'store'"),
        };
    }
}
