using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Presence.Web.Authentication;
using Presence.Web.Configuration;
using Presence.Web.Hosting;
using Presence.Web.Tests.Infrastructure;
using static Presence.Web.Tests.Infrastructure.PresenceApp;

namespace Presence.Web.Tests;

/// <summary>Secure by default (issue 9 §1): no usable shared secret ships, the old placeholder is refused, and without a secret only API clients' tokens work.</summary>
public sealed class SecureDefaultsTests
{
    private const string User = "olga@example.com";

    [Fact]
    public void TheShippedConfigurationHasNoSharedSecret()
    {
        var shipped = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "appsettings.json")))!;
        Assert.Equal("", shipped["Presence"]!["Tokens"]!["SharedSecret"]!.GetValue<string>());
    }

    [Fact]
    public void ThePlaceholderSecretStopsTheServiceOutsideDevelopmentSayingHowToSetOne()
    {
        using var db = TempDatabase.Sqlite();
        using var app = new PresenceApp(db, new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["Presence:Tokens:SharedSecret"] = SharedSecretPolicy.Placeholder,
        });
        var ex = Assert.ThrowsAny<Exception>(() => app.Server);
        Assert.Contains("Presence:Tokens:SharedSecret is the documented placeholder", ex.ToString());
        Assert.Contains("Presence__Tokens__SharedSecret", ex.ToString());
    }

    [Fact]
    public async Task WithoutASharedSecretOnlyApiClientTokensAreAcceptedAndTheServiceSaysSoAtStart()
    {
        using var db = TempDatabase.Sqlite();
        var logs = new LogCapture();
        await using var app = new PresenceApp(db, new Dictionary<string, string?> { ["environment"] = "Production", ["Presence:Tokens:SharedSecret"] = "" }) { Logs = logs };
        var body = (string token) => Envelope(token, Entry(User, "spreed", "busy"));

        await AssertProblemAsync(await app.CompatAsync(HttpMethod.Put, body(EmptyKeyToken(User))), 401, "signature");
        await AssertProblemAsync(await app.CompatAsync(HttpMethod.Put, body(Token(User, secret: SharedSecretPolicy.Placeholder))), 401, "signature");
        var client = await app.Services.GetRequiredService<ApiClientService>().CreateAsync("meetings", ApiScopes.WriteAny, null, "admin");
        Assert.Equal(200, (int)(await app.CompatAsync(HttpMethod.Put, body(Token(User, secret: client.Secret)))).StatusCode);

        Assert.Single(logs.Entries, e => e.StartsWith("Warning", StringComparison.Ordinal) && e.Contains("No shared secret is set") && e.Contains("only API clients' tokens are accepted"));
    }

    [Fact]
    public async Task WithoutASharedSecretATokenNoClientSignedIsToldThatNoSharedSecretIsConfigured()
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:Tokens:SharedSecret"] = "" });
        using var http = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/presence/{User}");
        request.Headers.Authorization = new("Bearer", Token(User, secret: "a-secret-this-service-does-not-have"));
        var response = await http.SendAsync(request);
        Assert.Equal(401, (int)response.StatusCode);
        var detail = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>();
        Assert.Contains("no shared secret is configured on this service; use an API client's secret or set Presence:Tokens:SharedSecret", detail);
    }

    [Fact]
    public async Task WithASharedSecretAForgedTokenIsNotToldToSetOne()
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db);
        using var http = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/presence/{User}");
        request.Headers.Authorization = new("Bearer", Token(User, secret: "a-secret-this-service-does-not-have"));
        var response = await http.SendAsync(request);
        Assert.Equal(401, (int)response.StatusCode);
        var detail = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>();
        Assert.Equal(TokenAuthenticator.Forged, detail);
    }

    /// <summary>A token whose MAC uses an empty key: what an empty shared secret would accept if it were used as a key.</summary>
    private static string EmptyKeyToken(string user)
    {
        var payload = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}:{user}";
        var mac = System.Security.Cryptography.HMACSHA256.HashData(Array.Empty<byte>(), System.Text.Encoding.UTF8.GetBytes(payload));
        return payload + ":" + Convert.ToBase64String(mac).ToUpperInvariant();
    }

    [Fact]
    public void TheTokenCommandRefusesClearlyWhenNoSecretIsSet()
    {
        var error = RefusedTokenCommand("");
        Assert.Contains("no shared secret is set", error);
        Assert.Contains("Presence__Tokens__SharedSecret", error);
    }

    [Fact]
    public void TheTokenCommandRefusesThePlaceholderOutsideDevelopment()
    {
        Assert.Contains("documented placeholder", RefusedTokenCommand(SharedSecretPolicy.Placeholder));
    }

    // Runs the token command with the given shared secret, asserts it refused (exit code 1, no token printed) and
    // returns what it wrote to stderr.
    private static string RefusedTokenCommand(string secret)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Presence:Tokens:SharedSecret"] = secret }).Build();
        var error = new StringWriter();
        var output = new StringWriter();
        Assert.True(AdminCommands.TryRun(["token", "olga@example.com"], config, output, error));
        Assert.Equal(1, Environment.ExitCode);
        Environment.ExitCode = 0;
        Assert.Equal("", output.ToString());
        return error.ToString();
    }

    [Fact]
    public async Task ATokenPaddedWithWhitespaceIsAcceptedAlikeByCompatRestAndTheHub()
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db);
        var padded = " \t" + Token(User) + " \n";

        var compat = await app.CompatAsync(HttpMethod.Put, Envelope(padded, Entry(User, "spreed", "busy")));
        Assert.Equal(200, (int)compat.StatusCode);

        var rest = app.CreateClient();
        rest.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + padded.TrimEnd('\n'));
        Assert.Equal(200, (int)(await rest.GetAsync($"/api/v1/presence/{User}")).StatusCode);

        var negotiate = await app.CreateClient().PostAsync($"/hubs/presence/negotiate?negotiateVersion=1&access_token={Uri.EscapeDataString(padded)}", null);
        Assert.Equal(200, (int)negotiate.StatusCode);
    }
}
