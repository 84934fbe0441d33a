using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Presence.Web.Authentication;
using Presence.Web.Tests.Infrastructure;
using static Presence.Web.Tests.Infrastructure.PresenceApp;

namespace Presence.Web.Tests;

/// <summary>No password, token or secret in any log line at any level (issue 9 §4), with every category at Trace.</summary>
public sealed class LogSecrecyTests
{
    private const string AdminPassword = "Configured-Passw0rd";
    private const string PasswordTypedAsUserName = "Hunter2-typed-in-the-user-field";
    private const string WrongPassword = "Wrong-Passw0rd-typed-by-admin";
    private const string User = "pia@example.com";

    private static async Task SignInAsync(HttpClient client, string userName, string password)
    {
        using var response = await DashboardForms.SignInAsync(client, userName, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task AtTraceLevelNoPasswordTokenOrSecretAppearsAcrossSignInApiAndHub()
    {
        using var db = TempDatabase.Sqlite();
        var logs = new LogCapture();
        await using var app = new PresenceApp(db, new Dictionary<string, string?>
        {
            ["Presence:Admin:Password"] = AdminPassword,
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace",
        }) { Logs = logs };
        var token = Token(User);

        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await SignInAsync(browser, PasswordTypedAsUserName, "anything");
        await SignInAsync(browser, "admin", WrongPassword);
        await SignInAsync(browser, "admin", AdminPassword);

        Assert.Equal(200, (int)(await app.CompatAsync(HttpMethod.Put, Envelope(token, Entry(User, "spreed", "busy")))).StatusCode);
        Assert.Equal(200, (int)(await app.Bearer(token).GetAsync($"/api/v1/presence/{User}")).StatusCode);
        var http = app.CreateClient();
        var negotiate = await http.PostAsync($"/hubs/presence/negotiate?negotiateVersion=1&access_token={Uri.EscapeDataString(token)}", null);
        Assert.Equal(200, (int)negotiate.StatusCode);
        var connection = (await PresenceApp.JsonAsync(negotiate))["connectionToken"]!.GetValue<string>();
        await http.GetAsync($"/hubs/presence?id={connection}&access_token={Uri.EscapeDataString(token)}");
        await http.DeleteAsync($"/hubs/presence?id={connection}&access_token={Uri.EscapeDataString(token)}");
        Assert.Equal(401, (int)(await http.PostAsync($"/hubs/presence/negotiate?negotiateVersion=1&access_token={Uri.EscapeDataString(token[..^6] + "AAAAA=")}", null)).StatusCode);

        var entries = logs.Entries;
        // The test means something only if the request lines with the query string were logged (redacted).
        Assert.Contains(entries, e => e.Contains("/hubs/presence/negotiate") && e.Contains("access_token=[redacted]"));
        Assert.Contains(entries, e => e.Contains("Sign-in refused for a user name that names no account"));
        Assert.Contains(entries, e => e.Contains("Sign-in refused for admin"));
        var mac = token[(token.LastIndexOf(':') + 1)..];
        string[] secrets = [PasswordTypedAsUserName, WrongPassword, AdminPassword, PresenceApp.Secret, token, Uri.EscapeDataString(token), .. Regex.Matches(mac, "[A-Z0-9]{8,}").Select(m => m.Value)];
        foreach (var secret in secrets)
        {
            var leak = entries.FirstOrDefault(e => e.Contains(secret, StringComparison.Ordinal));
            Assert.True(leak is null, $"'{secret}' appears in the log: {leak}");
        }
    }

    [Fact]
    public async Task ProviderSpecificLevelsStillApplyBehindTheRedaction()
    {
        // Logging:{provider}:LogLevel rules match by the provider's type name (Logging:Console:LogLevel by alias):
        // here the capture provider is raised to Warning while every other provider stays at Information.
        using var db = TempDatabase.Sqlite();
        var logs = new LogCapture();
        await using var app = new PresenceApp(db, new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
            [$"Logging:{typeof(LogCapture).FullName}:LogLevel:Default"] = "Warning",
        }) { Logs = logs };
        var token = Token(User);
        var http = app.CreateClient();
        // Information lines (the request log) and a Warning (a forged token) at least.
        Assert.Equal(200, (int)(await app.CompatAsync(HttpMethod.Put, Envelope(token, Entry(User, "spreed", "busy")))).StatusCode);
        Assert.Equal(401, (int)(await http.PostAsync($"/hubs/presence/negotiate?negotiateVersion=1&access_token={Uri.EscapeDataString(token[..^6] + "AAAAA=")}", null)).StatusCode);

        var entries = logs.Entries;
        Assert.NotEmpty(entries);
        Assert.All(entries, e => Assert.Matches("^(Warning|Error|Critical) ", e));

        // The same without the provider rule: Information lines reach the capture provider (the rule above did something).
        using var db2 = TempDatabase.Sqlite();
        var all = new LogCapture();
        await using (var app2 = new PresenceApp(db2, new Dictionary<string, string?> { ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information" }) { Logs = all })
        {
            Assert.Equal(200, (int)(await app2.CompatAsync(HttpMethod.Put, Envelope(token, Entry(User, "spreed", "busy")))).StatusCode);
        }
        Assert.Contains(all.Entries, e => e.StartsWith("Information ", StringComparison.Ordinal));
    }

    [Fact]
    public void RedactionMasksAccessTokensBearerCredentialsAndTokenShapedText()
    {
        var token = Token(User);
        var line = $"GET /hubs/presence?id=abc&access_token={Uri.EscapeDataString(token)}&x=1 Authorization: Bearer {token} raw {token} end";
        var redacted = Presence.Web.Logging.SecretRedaction.Redact(line);
        Assert.DoesNotContain(token, redacted);
        Assert.DoesNotContain(Uri.EscapeDataString(token), redacted);
        Assert.Contains("access_token=[redacted]&x=1", redacted);
        Assert.Contains("id=abc", redacted);
    }
}
