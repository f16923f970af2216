using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Egov.Steering.Notifications.Dashboard;

/// <summary>
/// The national dashboard page (<c>/dashboard/</c>): static files embedded in this assembly (one artefact, nothing
/// to copy beside it, served the same by the service and the sandbox) and <c>config.json</c>, which tells the page
/// where each service's JSON/HTTP API is. The page is public; the data it reads need a token, which the page asks for.
/// </summary>
public static class DashboardEndpoints
{
    public const string Path = "/dashboard";

    private const string ResourcePrefix = "dashboard/";

    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddOptions<DashboardOptions>()
            .BindConfiguration(DashboardOptions.SectionName)
            .Validate(o => o.ConfiguredBases().All(DashboardOptions.IsHttpBase),
                "Dashboard: MembershipApi, DecisionsApi and NotificationsApi must be empty or an absolute http(s) URL without a path")
            .ValidateOnStart();
        return services;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        var files = LoadFiles();
        var options = app.Services.GetRequiredService<IOptions<DashboardOptions>>().Value;
        var policy = ContentSecurityPolicy(options);
        var config = ConfigJson(options);

        app.MapGet(Path + "/{**file}", (HttpContext context, string? file) =>
        {
            // The page's relative links (app.js, config.json) need the trailing slash.
            if (context.Request.Path.Value == Path)
            {
                return Results.Redirect(Path + "/");
            }

            var response = context.Response;
            response.Headers[HeaderNames.ContentSecurityPolicy] = policy;
            response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
            response.Headers["Referrer-Policy"] = "no-referrer";
            // Revalidated on every load (a 304 when unchanged), so an upgrade never leaves an old script behind.
            response.Headers[HeaderNames.CacheControl] = "no-cache";
            if (file == "config.json")
            {
                return Results.Bytes(config, "application/json");
            }

            if (!files.TryGetValue(string.IsNullOrEmpty(file) ? "index.html" : file, out var found))
            {
                return Results.NotFound();
            }

            if (context.Request.Headers.IfNoneMatch.ToString() == found.ETag)
            {
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }

            response.Headers.ETag = found.ETag;
            return Results.Bytes(found.Content, found.ContentType);
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static byte[] ConfigJson(DashboardOptions options)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("membershipApi", options.MembershipApi.TrimEnd('/'));
            json.WriteString("decisionsApi", options.DecisionsApi.TrimEnd('/'));
            json.WriteString("notificationsApi", options.NotificationsApi.TrimEnd('/'));
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Only this origin's own files run (no inline script or style, no eval, no framing); the page may call this origin
    /// and the configured API origins, nothing else.
    /// </summary>
    internal static string ContentSecurityPolicy(DashboardOptions options)
    {
        var apiOrigins = options.ConfiguredBases()
            .Select(value => new Uri(value).GetLeftPart(UriPartial.Authority))
            .Distinct(StringComparer.OrdinalIgnoreCase);
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + $"connect-src {string.Join(' ', ["'self'", .. apiOrigins])}; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    private static FrozenDictionary<string, StaticFile> LoadFiles()
    {
        var assembly = typeof(DashboardEndpoints).Assembly;
        var files = new Dictionary<string, StaticFile>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 16)) + "\"";
            files[resource[ResourcePrefix.Length..]] = new StaticFile(content, ContentTypeOf(resource), etag);
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentTypeOf(string resource) => System.IO.Path.GetExtension(resource) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        var other => throw new InvalidOperationException($"the dashboard has a file of an unknown type: {other}"),
    };

    private sealed record StaticFile(byte[] Content, string ContentType, string ETag);
}
