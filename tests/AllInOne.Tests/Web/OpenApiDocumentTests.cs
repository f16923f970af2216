using System.Text.Json;
using Egov.Steering.ServiceDefaults.Web;

namespace Egov.Steering.AllInOne.Tests.Web;

/// <summary>
/// The OpenAPI document the sandbox serves (every public service) is the one checked in at docs/openapi/v1.json:
/// a changed proto without the regenerated document fails here. STEERING_UPDATE_OPENAPI=1 (eng/update-openapi.sh)
/// writes it instead.
/// </summary>
[Collection(WebSandboxCollection.Name)]
public sealed class OpenApiDocumentTests(WebSandboxFixture sandbox)
{
    public static string CheckedIn => Path.Combine(RepositoryRoot(), "docs", "openapi", "v1.json");

    [Fact]
    public async Task The_served_document_is_the_checked_in_one_and_names_every_http_path()
    {
        var served = await sandbox.Http.GetStringAsync(HttpApiExtensions.OpenApiPath.TrimStart('/'));
        if (Environment.GetEnvironmentVariable("STEERING_UPDATE_OPENAPI") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(CheckedIn)!);
            await File.WriteAllTextAsync(CheckedIn, served);
        }

        Assert.True(File.Exists(CheckedIn), $"{CheckedIn} is missing: run eng/update-openapi.sh");
        Assert.True(
            served == (await File.ReadAllTextAsync(CheckedIn)).ReplaceLineEndings("\n"),
            $"{CheckedIn} differs from the protos' document: run eng/update-openapi.sh and commit it");

        using var document = JsonDocument.Parse(served);
        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/v1/committees/{committee}/memberships/{membership}", out var membership));
        Assert.True(membership.TryGetProperty("get", out _));
        Assert.True(paths.TryGetProperty("/v1/events:stream", out _));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Microservices.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Microservices.sln not found above " + AppContext.BaseDirectory);
    }
}
