using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Presence.Web.Authentication;
using Presence.Web.Tests.Infrastructure;

namespace Presence.Web.Tests;

/// <summary>
/// Changing one's password (<c>/account/password</c>), and the first admin's generated one-time password, which must
/// be changed before any dashboard page opens. The real service with its SQLite file and Identity, over HTTP with
/// cookies, as a browser without JavaScript would post the forms.
/// </summary>
public sealed class PasswordChangeTests : IDisposable
{
    private const string NewPassword = "Chosen-Passw0rd!";
    private readonly TempDatabase _db = TempDatabase.Sqlite();
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"presence-first-admin-{Guid.NewGuid():N}.txt");
    private readonly LogCapture _logs = new();

    public void Dispose()
    {
        _db.Dispose();
        File.Delete(_file);
    }

    private PresenceApp Start(string? configuredPassword = null) => new(_db, new Dictionary<string, string?>
    {
        ["Presence:Admin:Password"] = configuredPassword ?? "",
        ["Presence:Admin:PasswordFile"] = _file,
        ["Logging:LogLevel:Default"] = "Information",
    }) { Logs = _logs };

    private static HttpClient Browser(PresenceApp app) => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string password, string returnUrl = "/") =>
        DashboardForms.SignInAsync(client, "admin", password, returnUrl);

    private static Task<HttpResponseMessage> ChangeAsync(HttpClient client, string current, string next, string? confirm = null, string returnUrl = "/") =>
        DashboardForms.PostAsync(client, PasswordEndpoints.Path, PasswordEndpoints.Path, new Dictionary<string, string>
        {
            ["CurrentPassword"] = current, ["NewPassword"] = next, ["ConfirmPassword"] = confirm ?? next, ["ReturnUrl"] = returnUrl,
        });

    private static async Task<string> FollowAsync(HttpClient client, HttpResponseMessage redirect)
    {
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        return await client.GetStringAsync(redirect.Headers.Location);
    }

    [Fact]
    public async Task TheSignInPageNamesTheOneTimePasswordFileUntilThePasswordIsChanged()
    {
        using var app = Start();
        var client = Browser(app);

        var page = await client.GetStringAsync("/signin");
        // (the page's isolated styles add a scope attribute to the element)
        Assert.Matches($"<code data-password-file[^>]*>{System.Text.RegularExpressions.Regex.Escape(WebUtility.HtmlEncode(_file))}</code>", page);
        Assert.Contains("one-time password", page);

        var generated = File.ReadAllText(_file).Trim();
        using var signedIn = await SignInAsync(client, generated);
        using var changed = await ChangeAsync(client, generated, NewPassword);
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.False(File.Exists(_file));
        Assert.DoesNotContain("data-password-file", await Browser(app).GetStringAsync("/signin"));
    }

    [Fact]
    public async Task WithAConfiguredPasswordTheSignInPageNamesNoFile()
    {
        using var app = Start("Configured-Passw0rd");
        Assert.DoesNotContain("data-password-file", await Browser(app).GetStringAsync("/signin"));
    }

    [Fact]
    public async Task TheGeneratedPasswordMustBeChangedBeforeAnyPageOpensThenTheFileIsDeleted()
    {
        using var app = Start();
        var client = Browser(app);
        var generated = File.ReadAllText(_file).Trim();

        using var signedIn = await SignInAsync(client, generated, "/admin/clients");
        Assert.Equal("/admin/clients", signedIn.Headers.Location!.ToString());
        foreach (var page in new[] { "/admin/clients", "/", "/users/alice@example.com" })
        {
            using var held = await client.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, held.StatusCode);
            Assert.Equal($"{PasswordEndpoints.Path}?returnUrl={Uri.EscapeDataString(page)}", held.Headers.Location!.ToString());
        }
        Assert.Contains("generated at the first start", await client.GetStringAsync(PasswordEndpoints.Path + "?returnUrl=%2Fadmin%2Fclients"));

        using var changed = await ChangeAsync(client, generated, NewPassword, returnUrl: "/admin/clients");
        Assert.Contains("Your password was changed", await FollowAsync(client, changed));
        using var open = await client.GetAsync("/admin/clients");
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.False(File.Exists(_file), "the one-time password file was kept");

        var fresh = Browser(app);
        using var old = await SignInAsync(fresh, generated);
        Assert.StartsWith("/signin?error=invalid", old.Headers.Location!.ToString());
        using var again = await SignInAsync(fresh, NewPassword);
        Assert.Equal("/", again.Headers.Location!.ToString());
        using var board = await fresh.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, board.StatusCode);

        var audit = await app.Services.GetRequiredService<AdminAuditLog>().RecentAsync(10);
        Assert.Contains(audit, a => a.Action == "account.password-change" && a.Actor == "admin");
        var log = string.Join("\n", _logs.Entries);
        Assert.Contains("User admin changed their password", log);
        Assert.DoesNotContain(generated, log);
        Assert.DoesNotContain(NewPassword, log);
    }

    [Theory]
    [InlineData("wrong-current", NewPassword, NewPassword, "The current password is wrong.")]
    [InlineData(null, NewPassword, "Other-Passw0rd!", "The two new passwords differ.")]
    [InlineData(null, null, null, "The new password is the current one")]
    [InlineData(null, "short", "short", "Passwords must be at least 8 characters.")]
    [InlineData(null, "alllowercase", "alllowercase", "Passwords must have at least one digit")]
    [InlineData(null, "", "", "Enter the current password and the new one.")]
    [InlineData(null, "too-long", "too-long", "A password may have at most 1024 characters.")] // "too-long": 1,025 characters
    public async Task ARefusedChangeSaysWhyAndKeepsThePassword(string? current, string? next, string? confirm, string expected)
    {
        const string configured = "Configured-Passw0rd";
        using var app = Start(configured);
        var client = Browser(app);
        using var signedIn = await SignInAsync(client, configured);
        using var board = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, board.StatusCode); // a configured password is not forced to change

        static string? Expand(string? text) => text == "too-long" ? "Aa1!" + new string('x', 1_021) : text;
        using var refused = await ChangeAsync(client, current ?? configured, Expand(next) ?? configured, Expand(confirm) ?? configured);
        var page = await FollowAsync(client, refused);

        Assert.Contains(expected, WebUtility.HtmlDecode(page));
        using var fresh = await SignInAsync(Browser(app), configured);
        Assert.Equal("/", fresh.Headers.Location!.ToString());
        Assert.DoesNotContain(configured, string.Join("\n", _logs.Entries));
    }

    [Fact]
    public async Task ACraftedLinkCannotPutItsOwnTextOnThePage()
    {
        const string configured = "Configured-Passw0rd";
        using var app = Start(configured);
        var client = Browser(app);
        using var signedIn = await SignInAsync(client, configured);

        var page = await client.GetStringAsync(PasswordEndpoints.Path + "?error=policy&rules=Call%20555-0100%20to%20unlock,PasswordRequiresDigit");

        Assert.DoesNotContain("555-0100", page);
        Assert.Contains("Passwords must have at least one digit ('0'-'9').", WebUtility.HtmlDecode(page));
    }

    [Fact]
    public async Task WithoutSigningInThePageAndThePostLeadToSignIn()
    {
        using var app = Start("Configured-Passw0rd");
        var client = Browser(app);

        using var page = await client.GetAsync(PasswordEndpoints.Path);
        using var post = await client.PostAsync(PasswordEndpoints.Path, new FormUrlEncodedContent(new Dictionary<string, string> { ["NewPassword"] = "x" }));

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/signin", page.Headers.Location!.AbsolutePath);
        Assert.True(post.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.BadRequest, $"{post.StatusCode}");
    }
}
