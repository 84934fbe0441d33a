using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Presence.Web.Tests.Infrastructure;

namespace Presence.Web.Tests;

/// <summary>The OpenAPI document describes the API as a client needs it, and the API reference page serves it offline.</summary>
public sealed class OpenApiTests : IDisposable
{
    private readonly TempDatabase _db = TempDatabase.Sqlite();
    private readonly PresenceApp _app;

    public OpenApiTests() => _app = new PresenceApp(_db);

    public void Dispose()
    {
        _app.Dispose();
        _db.Dispose();
    }

    private async Task<JsonNode> DocumentAsync()
    {
        using var response = await _app.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(200, (int)response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>A <c>$ref</c> to a component schema resolved, or the schema itself.</summary>
    private static JsonNode Resolve(JsonNode document, JsonNode schema) =>
        schema["$ref"]?.GetValue<string>() is { } reference
            ? document["components"]!["schemas"]![reference["#/components/schemas/".Length..]]!
            : schema;

    [Fact]
    public async Task TheDocumentIsTitledPresenceApiWithADescription()
    {
        var info = (await DocumentAsync())["info"]!;
        Assert.Equal("Presence API", info["title"]!.GetValue<string>());
        Assert.Contains("zarafa-presence token", info["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheBearerSchemeIsDeclaredAndRequiredByEveryRestOperation()
    {
        var document = await DocumentAsync();
        var scheme = document["components"]!["securitySchemes"]!["bearer"]!;
        Assert.Equal("http", scheme["type"]!.GetValue<string>());
        Assert.Equal("bearer", scheme["scheme"]!.GetValue<string>());

        var rest = document["paths"]!.AsObject().Where(p => p.Key.StartsWith("/api/v1/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(rest);
        foreach (var (path, item) in rest)
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var security = operation!["security"]?.AsArray();
                Assert.True(security is [{ } requirement] && requirement.AsObject().ContainsKey("bearer"), $"{method} {path} does not require the bearer scheme");
            }
        }
        Assert.Null(document["paths"]!["/presence"]!["put"]!["security"]); // the compatible API carries its token in the body
    }

    [Fact]
    public async Task ThePutsDescribeTheirRequestBodies()
    {
        var document = await DocumentAsync();
        var rest = document["paths"]!["/api/v1/presence/{user}/{protocol}"]!["put"]!["requestBody"]!["content"]!["application/json"]!["schema"]!;
        var restProperties = Resolve(document, rest)["properties"]!.AsObject();
        Assert.True(restProperties.ContainsKey("status") && restProperties.ContainsKey("message"), restProperties.ToJsonString());

        var compat = document["paths"]!["/presence"]!["put"]!["requestBody"]!["content"]!["application/json"]!["schema"]!;
        var compatProperties = Resolve(document, compat)["properties"]!.AsObject();
        Assert.Contains(compatProperties, p => p.Key.Equals("AuthenticationToken", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(compatProperties, p => p.Key.Equals("UserStatus", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task TheReferencePageAnswersAndLoadsNothingFromElsewhere()
    {
        using var http = _app.CreateClient();
        using var page = await http.GetAsync("/scalar");
        Assert.Equal(200, (int)page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Presence API", html);

        var assets = Regex.Matches(html, """(?:src|href)\s*=\s*["']([^"']+)["']""").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(assets);
        Assert.DoesNotContain(assets, a => a.StartsWith("http", StringComparison.OrdinalIgnoreCase) || a.StartsWith("//", StringComparison.Ordinal));
        foreach (var asset in assets.Where(a => a.EndsWith(".js", StringComparison.Ordinal)))
        {
            using var script = await http.GetAsync(new Uri(new Uri("http://localhost/scalar/"), asset));
            Assert.True(script.IsSuccessStatusCode, $"{asset}: {(int)script.StatusCode}");
        }
    }
}
