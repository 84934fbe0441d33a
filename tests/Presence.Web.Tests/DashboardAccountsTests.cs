using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Presence.Web.Authentication;
using Presence.Web.Tests.Infrastructure;

namespace Presence.Web.Tests;

/// <summary>
/// Dashboard accounts (<see cref="DashboardUserService"/>) on the real service and its SQLite file: a viewer sees the
/// board but no admin page, one-time passwords must be changed, resets lift lockouts, the last admin and one's own
/// account cannot be deleted; every change is audited.
/// </summary>
public sealed class DashboardAccountsTests : IClassFixture<DashboardAccountsTests.AdminApp>
{
    private const string AdminPassword = "Configured-Passw0rd";
    private readonly PresenceApp _app;

    public DashboardAccountsTests(AdminApp fixture) => _app = fixture.App;

    /// <summary>A service with a configured admin password.</summary>
    public sealed class AdminApp : IDisposable
    {
        private readonly TempDatabase _db = TempDatabase.Sqlite();

        public AdminApp() => App = new PresenceApp(_db, new Dictionary<string, string?> { ["Presence:Admin:Password"] = AdminPassword });

        public PresenceApp App { get; }

        public void Dispose()
        {
            App.Dispose();
            _db.Dispose();
        }
    }

    private DashboardUserService Accounts => _app.Services.GetRequiredService<DashboardUserService>();

    private HttpClient Browser() => _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private async Task<HttpClient> SignedInWithOwnPasswordAsync(string userName, string oneTimePassword, string chosen)
    {
        var client = Browser();
        using var signIn = await DashboardForms.SignInAsync(client, userName, oneTimePassword);
        Assert.Equal("/", signIn.Headers.Location!.ToString());
        using var held = await client.GetAsync("/");
        Assert.StartsWith(PasswordEndpoints.Path, held.Headers.Location!.ToString()); // the one-time password must be changed first
        using var changed = await DashboardForms.PostAsync(client, PasswordEndpoints.Path, PasswordEndpoints.Path,
            new Dictionary<string, string> { ["CurrentPassword"] = oneTimePassword, ["NewPassword"] = chosen, ["ConfirmPassword"] = chosen });
        Assert.Contains("changed=1", changed.Headers.Location!.ToString());
        return client;
    }

    [Fact]
    public async Task AViewerSeesTheBoardButNoAdminPage()
    {
        var (viewer, password) = await Accounts.CreateAsync("vera.viewer", admin: false, "admin");
        Assert.False(viewer.IsAdmin);
        Assert.True(viewer.MustChangePassword);

        var client = await SignedInWithOwnPasswordAsync("vera.viewer", password, "Vera-Passw0rd!");

        using var board = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, board.StatusCode);
        foreach (var page in new[] { "/admin/clients", "/admin/users", "/admin/audit" })
        {
            using var admin = await client.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, admin.StatusCode);
            Assert.StartsWith("/signin", admin.Headers.Location!.AbsolutePath);
            var refused = WebUtility.HtmlDecode(await client.GetStringAsync(admin.Headers.Location));
            Assert.Contains("You are signed in as vera.viewer, whose account may not open that page (it needs an admin).", System.Text.RegularExpressions.Regex.Replace(refused, "<[^>]+>", ""));
        }
        var listed = Assert.Single(await Accounts.ListAsync(), u => u.UserName == "vera.viewer");
        Assert.False(listed.MustChangePassword);
    }

    [Fact]
    public async Task AnAdminAccountOpensTheAdminPagesAfterChoosingItsPassword()
    {
        var (_, password) = await Accounts.CreateAsync("second.admin", admin: true, "admin");
        var client = await SignedInWithOwnPasswordAsync("second.admin", password, "Second-Passw0rd!");

        using var page = await client.GetAsync("/admin/users");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Accounts</h1>", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ASessionStopsBeingCurrentWhenItsAccountIsResetOrDeleted()
    {
        var scopes = _app.Services.GetRequiredService<IServiceScopeFactory>();
        var identity = _app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdentityOptions>>().Value;
        var (account, _) = await Accounts.CreateAsync("sam.session", admin: false, "admin");
        async Task<System.Security.Claims.ClaimsPrincipal> SessionAsync()
        {
            await using var scope = scopes.CreateAsyncScope();
            var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<IdentityUser>>();
            return await signIn.CreateUserPrincipalAsync((await signIn.UserManager.FindByIdAsync(account.Id))!);
        }
        var beforeReset = await SessionAsync();
        Assert.True(await DashboardSessions.IsCurrentAsync(beforeReset, scopes, identity));

        await Accounts.ResetPasswordAsync(account.Id, "admin");
        var afterReset = await SessionAsync();
        Assert.False(await DashboardSessions.IsCurrentAsync(beforeReset, scopes, identity));
        Assert.True(await DashboardSessions.IsCurrentAsync(afterReset, scopes, identity));

        await Accounts.DeleteAsync(account.Id, "admin");
        Assert.False(await DashboardSessions.IsCurrentAsync(afterReset, scopes, identity));
        // Cookies are checked against the account as often as circuits.
        var cookies = _app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SecurityStampValidatorOptions>>().Value;
        Assert.Equal(DashboardSessions.RevalidationInterval, cookies.ValidationInterval);
    }

    [Theory]
    [InlineData("", "1 to 100 characters")]
    [InlineData("has space", "is invalid")]
    [InlineData("admin", "already exists")]
    public async Task ARefusedNameSaysWhyAndCreatesNothing(string userName, string expected)
    {
        var before = (await Accounts.ListAsync()).Count;

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => Accounts.CreateAsync(userName, admin: false, "admin"));

        Assert.Contains(expected, refused.Message);
        Assert.Equal(before, (await Accounts.ListAsync()).Count);
    }

    [Fact]
    public async Task AnAccountDeletedMeanwhileIsRefusedWithAMessageAndNothingChanges()
    {
        var before = await Accounts.ListAsync();

        var reset = await Assert.ThrowsAsync<KeyNotFoundException>(() => Accounts.ResetPasswordAsync("no-such-account-id", "admin"));
        var delete = await Assert.ThrowsAsync<KeyNotFoundException>(() => Accounts.DeleteAsync("no-such-account-id", "admin"));

        Assert.Equal("No such account (deleted meanwhile?).", reset.Message);
        Assert.Equal(reset.Message, delete.Message);
        Assert.Equal(before, await Accounts.ListAsync());
    }

    [Fact]
    public async Task AResetGivesANewOneTimePasswordAndLiftsALockout()
    {
        var (user, first) = await Accounts.CreateAsync("rita.reset", admin: false, "admin");
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByIdAsync(user.Id))!, DateTimeOffset.UtcNow.AddMinutes(5));
        }
        Assert.NotNull(Assert.Single(await Accounts.ListAsync(), u => u.UserName == "rita.reset").LockedOutUntil);

        var second = await Accounts.ResetPasswordAsync(user.Id, "admin");

        Assert.NotEqual(first, second);
        var listed = Assert.Single(await Accounts.ListAsync(), u => u.UserName == "rita.reset");
        Assert.Null(listed.LockedOutUntil);
        Assert.True(listed.MustChangePassword);
        using var old = await DashboardForms.SignInAsync(Browser(), "rita.reset", first);
        Assert.StartsWith("/signin?error=invalid", old.Headers.Location!.ToString());
        using var fresh = await DashboardForms.SignInAsync(Browser(), "rita.reset", second);
        Assert.Equal("/", fresh.Headers.Location!.ToString());
    }

    [Fact]
    public async Task TheLastAdminAndOnesOwnAccountCannotBeDeletedOthersCan()
    {
        using var db = TempDatabase.Sqlite(); // its own service: the only admin is the first one
        using var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:Admin:Password"] = AdminPassword });
        var accounts = app.Services.GetRequiredService<DashboardUserService>();
        var admin = Assert.Single(await accounts.ListAsync());
        var (other, password) = await accounts.CreateAsync("dora.delete", admin: false, "admin");

        var own = await Assert.ThrowsAsync<InvalidOperationException>(() => accounts.DeleteAsync(admin.Id, "admin"));
        var last = await Assert.ThrowsAsync<InvalidOperationException>(() => accounts.DeleteAsync(admin.Id, "dora.delete"));
        await accounts.DeleteAsync(other.Id, "admin");

        Assert.Contains("your own account", own.Message);
        Assert.Equal("'admin' is the last admin; create another admin first.", last.Message);
        Assert.Equal(["admin"], (await accounts.ListAsync()).Select(u => u.UserName));
        using var refused = await DashboardForms.SignInAsync(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }), "dora.delete", password);
        Assert.StartsWith("/signin?error=invalid", refused.Headers.Location!.ToString());
        var audit = await app.Services.GetRequiredService<AdminAuditLog>().RecentAsync(50);
        Assert.Contains(audit, a => a.Action == "user.create" && a.Detail == "'dora.delete' as viewer");
        Assert.Contains(audit, a => a.Action == "user.delete" && a.Detail == "'dora.delete'");
    }
}
