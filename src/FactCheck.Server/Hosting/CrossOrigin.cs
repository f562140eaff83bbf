namespace FactCheck.Server.Hosting;

/// <summary>
/// Cross-origin requests to the JSON routes, off unless <c>Cors:AllowedOrigins</c> lists origins. Browsers send the
/// API key in the authorization header, never in a cookie, so no credentials mode is needed. Placed before
/// authentication, so a refusal (401, 403) still carries the headers that let the calling page read it.
/// </summary>
internal static class CrossOrigin
{
    public const string AllowedOriginsKey = "Cors:AllowedOrigins";

    public static void AddCrossOrigin(this IServiceCollection services, IConfiguration configuration)
    {
        var origins = AllowedOrigins(configuration);
        if (origins.Length == 0) return;
        services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .WithOrigins(origins)
            .WithMethods("GET", "POST", "PATCH", "DELETE")
            .WithHeaders("authorization", "content-type")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
    }

    /// <summary>Before authentication and authorization, which are then placed explicitly after it.</summary>
    public static void UseCrossOrigin(this WebApplication app)
    {
        if (AllowedOrigins(app.Configuration).Length > 0) app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
    }

    private static string[] AllowedOrigins(IConfiguration configuration) =>
        configuration.GetSection(AllowedOriginsKey).Get<string[]>()?.Where(origin => !string.IsNullOrWhiteSpace(origin)).ToArray() ?? [];
}
