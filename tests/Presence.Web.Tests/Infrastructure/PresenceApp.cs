using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Presence.Domain.Model;
using Presence.Domain.Tokens;
using Presence.Domain.Tracking;

namespace Presence.Web.Tests.Infrastructure;

/// <summary>
/// The real service in-process (<see cref="WebApplicationFactory{TEntryPoint}"/>) on its own temporary SQLite file,
/// with settings that a test may override. Dispose stops it; <see cref="TempDatabase"/> outlives it for restart tests.
/// </summary>
public sealed class PresenceApp : WebApplicationFactory<Program>
{
    public const string Secret = "test-shared-secret-0123456789";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    public PresenceApp(TempDatabase database, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        _services = services;
        Database = database;
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Presence"] = database.ConnectionString,
            ["Presence:Database:Provider"] = database.Provider,
            ["Presence:Tokens:SharedSecret"] = Secret,
            ["Presence:Api:RateLimit:PermitsPerSecond"] = "100000",
            ["Presence:Api:RateLimit:Burst"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (settings is not null) foreach (var (k, v) in settings) _settings[k] = v;
    }

    public TempDatabase Database { get; }

    /// <summary>When set before the app starts, receives every log entry (as a logger provider).</summary>
    public LogCapture? Logs { get; init; }

    public PresenceTracker Tracker => Services.GetRequiredService<PresenceTracker>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (k, v) in _settings) builder.UseSetting(k, v);
        if (Logs is { } logs) builder.ConfigureServices(s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs));
        if (_services is not null) builder.ConfigureServices(_services);
    }

    /// <summary>
    /// Builds and starts the host; a host whose start fails (invalid configuration) is disposed here, because the
    /// factory keeps no reference to it and the service leaves it to its host when run in-process.
    /// </summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = builder.Build();
        try
        {
            host.Start();
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    public static string Token(string user, DateTimeOffset? at = null, string secret = Secret) =>
        PresenceToken.Create(secret, user, at ?? DateTimeOffset.UtcNow);

    /// <summary>Sends a zarafa envelope to <c>/presence</c> (GET carries the body, as old clients do).</summary>
    public Task<HttpResponseMessage> CompatAsync(HttpMethod method, string body)
    {
        var request = new HttpRequestMessage(method, "/presence") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        return CreateClient().SendAsync(request);
    }

    public static string Envelope(string token, params object[] entries) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["AuthenticationToken"] = token,
        ["Type"] = "UserStatus",
        ["UserStatus"] = entries,
    });

    public static Dictionary<string, object> Entry(string user, string? protocol = null, string? status = null, string message = "")
    {
        var d = new Dictionary<string, object> { ["user_id"] = user };
        if (protocol is not null) d[protocol] = new Dictionary<string, string> { ["status"] = status!, ["message"] = message };
        return d;
    }

    public HttpClient Bearer(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public UserPresence? Get(string user) => Tracker.Get(UserId.Parse(user));

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty body");

    /// <summary>Asserts a problem+json answer with <paramref name="status"/> whose detail contains every fragment.</summary>
    public static async Task AssertProblemAsync(HttpResponseMessage response, int status, params string[] fragments)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = JsonNode.Parse(text)?["detail"]?.GetValue<string>() ?? "";
        foreach (var f in fragments) Assert.Contains(f, detail, StringComparison.OrdinalIgnoreCase);
    }
}
