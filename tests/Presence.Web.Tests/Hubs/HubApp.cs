using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Presence.Domain.Tokens;
using Presence.Domain.Tracking;

namespace Presence.Web.Tests.Hubs;

/// <summary>The service on a real loopback Kestrel port, for the Node SignalR client.</summary>
public sealed class HubApp : WebApplicationFactory<Program>
{
    /// <summary>
    /// A cookie scheme standing in for the dashboard's sign-in cookie (the hub accepts the scheme named by
    /// <c>Presence:Hub:CookieScheme</c>; in production that is Identity's application cookie).
    /// </summary>
    public const string CookieScheme = "HubTestSignIn";

    /// <summary>The legacy shared secret the app is configured with.</summary>
    public const string Secret = "hub-tests-shared-secret-0123456789";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "presence-hub-tests-" + Guid.NewGuid().ToString("N"));
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Infrastructure.LogCapture? _logs;

    /// <summary>Starts the app.</summary>
    public HubApp() : this(new Dictionary<string, string?>())
    {
    }

    /// <summary>Starts the app with <paramref name="settings"/> added to (or overriding) the test configuration.</summary>
    internal HubApp(IReadOnlyDictionary<string, string?> settings, Infrastructure.LogCapture? logs = null)
    {
        _settings = settings;
        _logs = logs;
        Directory.CreateDirectory(_dir);
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1").TrimEnd('/');
    }

    /// <summary>e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; }

    /// <summary>The hub's absolute URL.</summary>
    public string HubUrl => BaseUrl + "/hubs/presence";

    /// <summary>The app's tracker (the single authority for presence).</summary>
    public PresenceTracker Tracker => Services.GetRequiredService<PresenceTracker>();

    /// <summary>A valid token for <paramref name="user"/> issued now.</summary>
    public static string TokenFor(string user) => PresenceToken.Create(Secret, user, DateTimeOffset.UtcNow);

    /// <summary>A <c>Cookie</c> header value of a signed-in session of <paramref name="user"/>, as the sign-in page would set it.</summary>
    public string SignInCookie(string user)
    {
        var options = Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieScheme);
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], CookieScheme));
        return $"{options.Cookie.Name}={options.TicketDataFormat.Protect(new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = DateTimeOffset.UtcNow, ExpiresUtc = DateTimeOffset.UtcNow.AddHours(1) }, CookieScheme))}";
    }

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["ConnectionStrings:Presence"] = $"Data Source={Path.Combine(_dir, "presence.db")}",
            ["Presence:Tokens:SharedSecret"] = Secret,
            ["Presence:Hub:FlushInterval"] = "00:00:00.050",
            ["Presence:Hub:CookieScheme"] = CookieScheme,
        }).AddInMemoryCollection(_settings));
        builder.ConfigureTestServices(services =>
        {
            services.AddAuthentication().AddCookie(CookieScheme);
            if (_logs is not null) services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(_logs);
        });
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
