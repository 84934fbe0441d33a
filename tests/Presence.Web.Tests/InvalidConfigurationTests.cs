using Presence.Web.Configuration;
using Presence.Web.Tests.Infrastructure;

namespace Presence.Web.Tests;

/// <summary>
/// An operator's configuration mistake stops the real service process with a non-zero exit code and one line per bad
/// key naming the key, the problem and what is expected — no stack trace (issue 8 §1).
/// </summary>
public sealed class InvalidConfigurationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static TheoryData<string, string, string> OneBadValue => new()
    {
        { "Presence__Tokens__Expiry", "five minutes", "Presence:Tokens:Expiry: 'five minutes' is not valid; expected a time span" },
        { "Presence__History__BatchSize", "lots", "Presence:History:BatchSize: 'lots' is not valid; expected a whole number" },
        { "Presence__History__BatchSize", "0", "Presence:History:BatchSize must be between 1 and 100000" },
        { "Presence__Tokens__SharedSecret", "short", "Presence:Tokens:SharedSecret must be at least 16 characters" },
        { "Presence__Database__Provider", "Oracle", "Presence:Database:Provider must be 'Sqlite' or 'Postgres'" },
        { "ConnectionStrings__Presence", "Data Source=/nonexistent-presence-dir/presence.db", "ConnectionStrings:Presence: the directory '/nonexistent-presence-dir' of the SQLite database does not exist" },
        { "Presence__Spreed__PausedAfter", "00:05:00", "Presence:Spreed:PausedAfter (00:05:00) must not be longer than Presence:Spreed:AutoUnavailable" },
        { "Presence__Xmpp__Port", "70000", "Presence:Xmpp:Port" },
        { "Presence__Api__MaxBodyBytes", "10", "Presence:Api:MaxBodyBytes must be between 256 and 16777216" },
        { "Presence__Cluster__NodeName", "node a", "Presence:Cluster:NodeName must be 1 to 63 letters, digits, '.', '-' or '_' starting with a letter or digit (it names this node in logs and in PostgreSQL's application_name), got 'node a'." },
        { "ASPNETCORE_HTTP_PORTS", "eighty", "http_ports: 'eighty' is not a port number; expected 1..65535" },
        { "Presence__Admin__Password", "password", "Presence:Admin:Password does not meet the dashboard's password rules: Passwords must have at least one non alphanumeric character. Passwords must have at least one digit ('0'-'9'). Passwords must have at least one uppercase ('A'-'Z')." },
        { "Presence__Xmpp__Domain", "bad domain", "Presence:Xmpp:Domain must be a domain name such as example.com (RFC 7622 §3.2); 'bad domain' is not: it contains a space" },
        { "Presence__Xmpp__Domain", "exa_mple.com", "Presence:Xmpp:Domain must be a domain name" },
    };

    [Theory]
    [MemberData(nameof(OneBadValue))]
    public async Task ABadValueStopsTheServiceWithOneLineNamingTheKey(string variable, string value, string expected)
    {
        await using var service = ServiceProcess.Start(new Dictionary<string, string?> { [variable] = value });
        Assert.Equal(StartupValidation.InvalidConfigurationExitCode, await service.ExitCodeAsync(Timeout));
        var line = Assert.Single(service.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line);
        Assert.DoesNotContain("   at ", service.Error + service.Output);
        Assert.DoesNotContain("Exception", service.Error + service.Output);
    }

    [Fact]
    public async Task AWeakAdminPasswordStopsTheServiceBeforeTheDatabaseIsCreated()
    {
        await using var service = ServiceProcess.Start(new Dictionary<string, string?> { ["Presence__Admin__Password"] = "Sh0rt!" });
        Assert.Equal(StartupValidation.InvalidConfigurationExitCode, await service.ExitCodeAsync(Timeout));
        var line = Assert.Single(service.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Presence:Admin:Password does not meet the dashboard's password rules: Passwords must be at least 8 characters.", line);
        Assert.DoesNotContain("Sh0rt!", service.Error + service.Output);
        Assert.DoesNotContain("Hosting failed to start", service.Error + service.Output);
        Assert.Empty(Directory.GetFiles(service.Directory, "presence.db*"));
    }

    [Fact]
    public async Task AMissingXmppSecretStopsTheServiceWithOneLine()
    {
        await using var service = ServiceProcess.Start(new Dictionary<string, string?> { ["Presence__Xmpp__Enabled"] = "true", ["Presence__Xmpp__Secret"] = "" });
        Assert.Equal(StartupValidation.InvalidConfigurationExitCode, await service.ExitCodeAsync(Timeout));
        var line = Assert.Single(service.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Presence:Xmpp:Secret is required when Presence:Xmpp:Enabled is true", line);
    }

    [Fact]
    public async Task AnUnwritableDatabaseFileStopsTheServiceWithOneLine()
    {
        var directory = Path.Combine(Path.GetTempPath(), "presence-readonly-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, "presence.db");
        // A directory where the database file should be: no user, root included, can open it as a file.
        Directory.CreateDirectory(file);
        try
        {
            await using var service = ServiceProcess.Start(new Dictionary<string, string?> { ["ConnectionStrings__Presence"] = $"Data Source={file}" });
            Assert.Equal(StartupValidation.InvalidConfigurationExitCode, await service.ExitCodeAsync(Timeout));
            var line = Assert.Single(service.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains($"ConnectionStrings:Presence: the SQLite database '{file}' is not writable", line);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task SeveralBadKeysGiveOneLineEach()
    {
        await using var service = ServiceProcess.Start(new Dictionary<string, string?>
        {
            ["Presence__Tokens__SharedSecret"] = "short",
            ["Presence__Spreed__PausedAfter"] = "00:05:00",
            ["Urls"] = "http://127.0.0.1:notaport",
            ["Presence__History__BatchSize"] = "lots",
            ["Presence__History__PruneInterval"] = "hourly",
            ["Presence__Api__RateLimit__Burst"] = "big",
        });
        Assert.Equal(StartupValidation.InvalidConfigurationExitCode, await service.ExitCodeAsync(Timeout));
        var lines = service.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, lines.Length);
        Assert.Contains(lines, l => l.Contains("Presence:History:BatchSize: 'lots' is not valid; expected a whole number"));
        Assert.Contains(lines, l => l.Contains("Presence:History:PruneInterval: 'hourly' is not valid; expected a time span"));
        Assert.Contains(lines, l => l.Contains("Presence:Api:RateLimit:Burst: 'big' is not valid; expected a whole number"));
        Assert.Contains(lines, l => l.Contains("Presence:Tokens:SharedSecret"));
        Assert.Contains(lines, l => l.Contains("Presence:Spreed:PausedAfter"));
        Assert.Contains(lines, l => l.Contains("urls: 'http://127.0.0.1:notaport'"));
    }
}
