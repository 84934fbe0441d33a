using Presence.Web.Configuration;
using Presence.Web.Tests.Infrastructure;

namespace Presence.Web.Tests.Cluster;

/// <summary>SQLite serves one node: a second process started on the same database file is refused with one line.</summary>
public sealed class SqliteSingleNodeTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ASecondNodeOnTheSameSqliteFileIsRefusedWithOneLineAndTheFirstKeepsRunning()
    {
        var firstPort = ServiceProcess.FreePort();
        await using var first = ServiceProcess.Start(new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{firstPort}" });
        Assert.True((await first.WaitForAnswerAsync($"http://127.0.0.1:{firstPort}/healthz/ready", StartTimeout)).IsSuccessStatusCode);
        var database = Path.Combine(first.Directory, "presence.db");

        await using var second = ServiceProcess.Start(new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{ServiceProcess.FreePort()}",
            ["ConnectionStrings__Presence"] = $"Data Source={database}",
        });
        Assert.Equal(StartupValidation.InvalidConfigurationExitCode, await second.ExitCodeAsync(StartTimeout));
        var line = Assert.Single(second.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"the SQLite database '{database}' is already used by another running Presence node", line);
        Assert.Contains("Presence:Database:Provider=Postgres", line);
        Assert.DoesNotContain("   at ", second.Error + second.Output);

        // The first node is untouched; once it is gone (even killed), the file may be opened again.
        Assert.True((await first.WaitForAnswerAsync($"http://127.0.0.1:{firstPort}/healthz/ready", StartTimeout)).IsSuccessStatusCode);
        await first.KillAsync();
        var thirdPort = ServiceProcess.FreePort();
        await using var third = ServiceProcess.Start(new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{thirdPort}",
            ["ConnectionStrings__Presence"] = $"Data Source={database}",
        });
        Assert.True((await third.WaitForAnswerAsync($"http://127.0.0.1:{thirdPort}/healthz/ready", StartTimeout)).IsSuccessStatusCode);
    }
}
