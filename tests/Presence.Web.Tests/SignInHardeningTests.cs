using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Presence.Web.Authentication;
using Presence.Web.Tests.Infrastructure;

namespace Presence.Web.Tests;

/// <summary>The sign-in form under odd input (issue 9 §2, §5): never a 500, never a typed secret in the log.</summary>
public sealed class SignInHardeningTests : IClassFixture<SignInHardeningTests.AdminApp>
{
    private const string Password = "Configured-Passw0rd";
    private readonly PresenceApp _app;

    public SignInHardeningTests(AdminApp fixture) => _app = fixture.App;

    /// <summary>A service with a configured admin password.</summary>
    public sealed class AdminApp : IDisposable
    {
        private readonly TempDatabase _db = TempDatabase.Sqlite();

        public AdminApp() => App = new PresenceApp(_db, new Dictionary<string, string?> { ["Presence:Admin:Password"] = Password });

        public PresenceApp App { get; }

        public void Dispose()
        {
            App.Dispose();
            _db.Dispose();
        }
    }

    private Task<HttpResponseMessage> PostAsync(string userName, string password, string returnUrl) =>
        DashboardForms.SignInAsync(_app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }), userName, password, returnUrl);

    [Theory]
    [InlineData("/admin\tclients")]
    [InlineData("/\t/evil.example.com")]
    [InlineData("/users/a\nb")]
    public async Task AReturnUrlWithAControlCharacterLandsOnTheBoardAfterSignIn(string returnUrl)
    {
        using var response = await PostAsync("admin", Password, returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task AnOverLongUserNameIsRefusedLikeAWrongPassword()
    {
        using var response = await PostAsync(new string('a', 100_000), "x", "/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin?error=invalid", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task AUserNameWithALoneSurrogateOrInvalidUtf8IsRefusedLikeAWrongPassword()
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var antiforgery = await DashboardForms.AntiforgeryAsync(client);
        var body = $"__RequestVerificationToken={Uri.EscapeDataString(antiforgery)}&UserName=a%ED%A0%80%FF&Password=x&ReturnUrl=%2F";
        using var response = await client.PostAsync(SignInEndpoints.SignInPath, new StringContent(body, System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin?error=invalid", response.Headers.Location!.ToString());
    }
}
