using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Presence.Web.Tests.Infrastructure;
using static Presence.Web.Tests.Infrastructure.PresenceApp;

namespace Presence.Web.Tests;

/// <summary>Bad hub input is the caller's mistake (issue 9 §2): a clear error, the connection stays, one log line without a stack trace.</summary>
public sealed class HubInputTests
{
    [Fact]
    public async Task AnInvalidSubscribeIsAnsweredClearlyKeepsTheConnectionAndLogsOneLineWithoutAStackTrace()
    {
        using var db = TempDatabase.Sqlite();
        var logs = new LogCapture();
        await using var app = new PresenceApp(db, new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        }) { Logs = logs };
        var server = app.Server;
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "/hubs/presence"), o =>
            {
                o.Transports = HttpTransportType.LongPolling;
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                o.AccessTokenProvider = () => Task.FromResult<string?>(Token("sam@example.com"));
            })
            .Build();
        await connection.StartAsync();

        var error = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<object>("Subscribe", new[] { "ali\u202Ece@example.com" }));
        Assert.Contains("U+202E", error.Message);
        Assert.Contains("Nothing was subscribed", error.Message);
        var ok = await connection.InvokeAsync<List<System.Text.Json.JsonElement>>("Subscribe", new[] { "alice@example.com" });
        Assert.Single(ok);

        var lines = logs.Entries.Where(e => e.Contains("U+202E")).ToList();
        var line = Assert.Single(lines);
        Assert.StartsWith("Debug", line);
        Assert.DoesNotContain("   at ", line);
        Assert.DoesNotContain(logs.Entries, e => e.StartsWith("Error", StringComparison.Ordinal) || e.StartsWith("Critical", StringComparison.Ordinal));
    }
}
