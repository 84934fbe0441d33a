using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Presence.Domain.Tokens;
using Presence.Web.Hosting;
using Presence.Web.Tests.Infrastructure;

namespace Presence.Web.Tests;

public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("Presence:Tokens:Expiry", "00:00:00", "Presence:Tokens:Expiry")]
    [InlineData("Presence:Tokens:SharedSecret", "short", "Presence:Tokens:SharedSecret")]
    [InlineData("Presence:Database:Provider", "Oracle", "Presence:Database:Provider")]
    [InlineData("Presence:Spreed:PausedAfter", "00:05:00", "Presence:Spreed:PausedAfter")]
    [InlineData("Presence:Xmpp:Port", "70000", "Presence:Xmpp:Port")]
    [InlineData("Presence:Api:MaxBodyBytes", "10", "Presence:Api:MaxBodyBytes")]
    [InlineData("Presence:Hub:MaxConnectionsPerClient", "0", "Presence:Hub:MaxConnectionsPerClient must be between 1 and 1000000")]
    [InlineData("Presence:Hub:MaxConnectionsPerUser", "-1", "Presence:Hub:MaxConnectionsPerUser must be between 1 and 1000000")]
    [InlineData("Presence:Cluster:NodeName", "-node", "Presence:Cluster:NodeName")]
    [InlineData("Presence:Admin:Password", "weak", "Presence:Admin:Password does not meet the dashboard's password rules")]
    [InlineData("Presence:Admin:UserName", "the admin", "Presence:Admin:UserName")]
    [InlineData("Presence:Xmpp:Domain", "bad domain", "Presence:Xmpp:Domain must be a domain name")]
    public void InvalidValueStopsTheServiceWithAMessageNamingTheKey(string key, string value, string named)
    {
        using var db = TempDatabase.Sqlite();
        using var app = new PresenceApp(db, new Dictionary<string, string?> { [key] = value });
        var ex = Assert.ThrowsAny<Exception>(() => app.Server);
        var all = ex.ToString();
        Assert.True(all.Contains(named), all);
        Assert.IsAssignableFrom<OptionsValidationException>(ex is AggregateException a ? a.InnerExceptions[0] : ex);
    }

    /// <summary>
    /// Many refused starts at once, as a parallel test run has them: each one reports its key. (The service used to
    /// dispose its host while the test host was still about to read it: 13 of 300 such starts saw an
    /// ObjectDisposedException instead of the validation failure.)
    /// </summary>
    [Fact]
    public void RefusedStartsUnderContentionEachReportTheBadKey()
    {
        var wrong = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 240, new ParallelOptions { MaxDegreeOfParallelism = 12 }, _ =>
        {
            using var db = TempDatabase.Sqlite();
            using var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:Database:Provider"] = "Oracle" });
            var ex = Assert.ThrowsAny<Exception>(() => app.Server);
            if (!ex.ToString().Contains("Presence:Database:Provider")) wrong.Add(ex.GetType().Name);
        });
        Assert.True(wrong.IsEmpty, $"{wrong.Count} of 240 starts failed otherwise: {string.Join(", ", wrong.Distinct())}");
    }

    [Fact]
    public void EnabledXmppWithoutSecretStopsTheService()
    {
        using var db = TempDatabase.Sqlite();
        using var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:Xmpp:Enabled"] = "true", ["Presence:Xmpp:Secret"] = "" });
        var ex = Assert.ThrowsAny<Exception>(() => app.Server);
        Assert.Contains("Presence:Xmpp:Secret is required when Presence:Xmpp:Enabled is true", ex.ToString());
    }

    [Fact]
    public void TokenCommandPrintsATokenSignedWithTheConfiguredSecret()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Presence:Tokens:SharedSecret"] = PresenceApp.Secret }).Build();
        var output = new StringWriter();
        Assert.True(AdminCommands.TryRun(["token", "Tom@Example.com"], config, output, TextWriter.Null));
        var token = output.ToString().Trim();
        var v = PresenceToken.Validate(token, PresenceApp.Secret, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5), TimeSpan.Zero);
        Assert.True(v.IsValid, v.Message);
        Assert.Equal("tom@example.com", v.User);
    }

    [Fact]
    public async Task TokenCommandSignsWithAnApiClientSecretFromStandardInputOrAFileAndTheApiAcceptsIt()
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:Tokens:SharedSecret"] = "" });
        var client = await app.Services.GetRequiredService<Presence.Web.Authentication.ApiClientService>()
            .CreateAsync("command-client", Presence.Web.Authentication.ApiScopes.WriteOwn, null, "admin");
        var noSharedSecret = new ConfigurationBuilder().Build();
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, client.Secret + "\n");
            var fromStdin = new StringWriter();
            var fromFile = new StringWriter();
            Assert.True(AdminCommands.TryRun(["token", "alice@example.com", "--secret-stdin"], noSharedSecret, new StringReader(client.Secret + "\n"), fromStdin, TextWriter.Null));
            Assert.True(AdminCommands.TryRun(["token", "alice@example.com", "--secret-file", file], noSharedSecret, TextReader.Null, fromFile, TextWriter.Null));

            foreach (var token in new[] { fromStdin.ToString().Trim(), fromFile.ToString().Trim() })
            {
                using var response = await app.Bearer(token).PutAsync("/api/v1/presence/alice@example.com/spreed",
                    new StringContent("""{"status":"busy","message":"minted"}""", System.Text.Encoding.UTF8, "application/json"));
                Assert.Equal(200, (int)response.StatusCode);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("--secret-file")]
    [InlineData("--secret")]
    [InlineData("--secret-stdin", "extra")]
    public void TokenCommandTakesNoSecretAsAnArgument(params string[] options)
    {
        var error = new StringWriter();
        Assert.True(AdminCommands.TryRun(["token", "alice@example.com", .. options], new ConfigurationBuilder().Build(), TextReader.Null, TextWriter.Null, error));
        Assert.Contains("usage: token <user@domain> [--secret-stdin | --secret-file <path>]", error.ToString());
        Environment.ExitCode = 0;
    }

    [Fact]
    public void TokenCommandSaysSoWhenStandardInputHasNoSecret()
    {
        var error = new StringWriter();
        Assert.True(AdminCommands.TryRun(["token", "alice@example.com", "--secret-stdin"], new ConfigurationBuilder().Build(), new StringReader(""), TextWriter.Null, error));
        Assert.Contains("no secret on standard input", error.ToString());
        Environment.ExitCode = 0;
    }

    [Fact]
    public void TokenCommandRefusesAnInvalidUser()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Presence:Tokens:SharedSecret"] = PresenceApp.Secret }).Build();
        var error = new StringWriter();
        Assert.True(AdminCommands.TryRun(["token", "no-at-sign"], config, TextWriter.Null, error));
        Assert.Contains("no '@'", error.ToString());
        Environment.ExitCode = 0;
    }

    [Fact]
    public void WithoutAVerbTheServiceRuns()
    {
        Assert.False(AdminCommands.TryRun([], new ConfigurationBuilder().Build(), TextWriter.Null, TextWriter.Null));
    }
}
