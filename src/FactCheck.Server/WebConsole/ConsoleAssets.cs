using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace FactCheck.Server.WebConsole;

/// <summary>
/// The auditors' console: static HTML, CSS and ES modules embedded in this assembly (WebConsole/assets), served at
/// <c>/console/</c>. The pages call the same JSON routes as any client, with the key the user typed, so the console
/// needs no endpoint of its own and no build step.
/// </summary>
internal static class ConsoleAssets
{
    public const string Path = "/console";

    // The key lives in the page's sessionStorage: the policy allows only this origin's own scripts and requests, so
    // injected markup can neither run script nor send the key elsewhere, and no other site may frame the console.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void UseConsole(this WebApplication app)
    {
        var files = new ManifestEmbeddedFileProvider(typeof(ConsoleAssets).Assembly, "WebConsole/assets");
        // "/console" redirects to "/console/", which serves index.html.
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = Path });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            RequestPath = Path,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                // Revalidated on every load (ETag): a server upgrade never leaves a stale module next to a fresh one.
                headers.CacheControl = "no-cache";
            },
        });
    }
}
