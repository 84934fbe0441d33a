using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Presence.E2E.Tests;

/// <summary>
/// The whole service on a real Kestrel port (own temporary SQLite file, first admin from configuration) and Debian's
/// Chromium driven by Playwright. One per test class.
/// </summary>
public class PresenceAppFixture : IAsyncLifetime
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "E2e-admin-Passw0rd";
    public const string SharedSecret = "e2e-shared-secret-0123456789";

    internal static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    ];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "presence-e2e-" + Guid.NewGuid().ToString("N"));
    private AppFactory? _factory;
    private IPlaywright? _playwright;

    public string BaseUrl { get; protected set; } = "";

    public IServiceProvider Services => _factory!.Services;

    public IBrowser Browser { get; private set; } = default!;

    /// <summary>Extra configuration for a test class (set before <see cref="InitializeAsync"/> by a derived fixture).</summary>
    public Dictionary<string, string?> Settings { get; } = new();

    public virtual async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _factory = new AppFactory(Path.Combine(_directory, "presence.db"), Settings);
        _factory.UseKestrel(0);
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1").TrimEnd('/') + "/";

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>A new browser context (own cookies and storage) and page; <paramref name="colorScheme"/> is the browser's theme preference.</summary>
    public async Task<IPage> NewPageAsync(ColorScheme colorScheme = ColorScheme.Light)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            ColorScheme = colorScheme,
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>An HTTP client for the service's API on the real port.</summary>
    public HttpClient NewHttpClient() => new() { BaseAddress = new Uri(BaseUrl) };

    public virtual async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private sealed class AppFactory(string databasePath, Dictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:Presence", $"Data Source={databasePath}");
            builder.UseSetting("Presence:Admin:UserName", AdminUser);
            builder.UseSetting("Presence:Admin:Password", AdminPassword);
            builder.UseSetting("Presence:Tokens:SharedSecret", SharedSecret);
            builder.UseSetting("Presence:Xmpp:Enabled", "false");
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
        }
    }
}
