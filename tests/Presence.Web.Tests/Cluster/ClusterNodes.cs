using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Presence.Web.Tests.Infrastructure;

namespace Presence.Web.Tests.Cluster;

/// <summary>
/// Several nodes of the service as separate processes on one private PostgreSQL database, with the same configuration
/// and their own node names and ports, as an operator runs a cluster. Disposing kills every node.
/// </summary>
public sealed class ClusterNodes : IAsyncDisposable
{
    private readonly PostgresServer _server;
    private readonly string _database;
    private readonly Dictionary<string, string?> _settings;
    private readonly Dictionary<string, (ServiceProcess Process, int Port)> _nodes = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public ClusterNodes(PostgresServer server, string database, IDictionary<string, string?>? settings = null)
    {
        _server = server;
        _database = database;
        _settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
    }

    /// <summary>Starts node <paramref name="name"/> and waits until <c>/healthz/ready</c> answers 200.</summary>
    public async Task StartAsync(string name)
    {
        var port = _nodes.TryGetValue(name, out var old) ? old.Port : ServiceProcess.FreePort();
        var env = new Dictionary<string, string?>(_settings)
        {
            ["Presence__Database__Provider"] = "Postgres",
            ["ConnectionStrings__Presence"] = _server.ConnectionString(_database),
            ["Presence__Cluster__NodeName"] = name,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
        };
        var process = ServiceProcess.Start(env);
        _nodes[name] = (process, port);
        _killed.Remove(name);
        await WaitReadyAsync(name, TimeSpan.FromSeconds(60));
    }

    /// <summary>Polls <c>/healthz/ready</c> until it answers 200.</summary>
    public async Task WaitReadyAsync(string name, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var answer = await _nodes[name].Process.WaitForAnswerAsync(Url(name, "/healthz/ready"), timeout);
            if (answer.IsSuccessStatusCode) return;
            if (deadline.Elapsed > timeout) throw new TimeoutException($"node {name} not ready: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
            await Task.Delay(100); // readiness is polled as a load balancer polls it
        }
    }

    /// <summary>The process of node <paramref name="name"/>.</summary>
    public ServiceProcess Process(string name) => _nodes[name].Process;

    /// <summary>An absolute URL on node <paramref name="name"/>.</summary>
    public string Url(string name, string path) => $"http://127.0.0.1:{_nodes[name].Port}{path}";

    /// <summary>Kills node <paramref name="name"/> at once (SIGKILL: no shutdown code runs).</summary>
    public async Task KillAsync(string name)
    {
        await _nodes[name].Process.DisposeAsync();
        _killed.Add(name);
    }

    private readonly HashSet<string> _killed = [];

    /// <summary>REST PUT of a spreed status on node <paramref name="name"/>; throws unless 200.</summary>
    public async Task PutAsync(string name, string user, string status, string message)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, Url(name, $"/api/v1/presence/{user}/spreed"))
        {
            Content = JsonContent.Create(new { status, message }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", PresenceApp.Token(user));
        using var response = await _http.SendAsync(request);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"PUT on {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>REST GET of one user's presence document on node <paramref name="name"/> (an empty object for an unknown user).</summary>
    public async Task<JsonElement> GetAsync(string name, string user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(name, $"/api/v1/presence/{user}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", PresenceApp.Token(user));
        using var response = await _http.SendAsync(request);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return JsonDocument.Parse("{}").RootElement;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The <c>/healthz</c> details of node <paramref name="name"/> (with a token).</summary>
    public async Task<JsonElement> HealthAsync(string name)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(name, "/healthz"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", PresenceApp.Token("operator@example.com"));
        using var response = await _http.SendAsync(request);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>REST GET of one user's history on node <paramref name="name"/>.</summary>
    public async Task<JsonElement> HistoryAsync(string name, string user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(name, $"/api/v1/presence/{user}/history?limit=1000"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", PresenceApp.Token(user));
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>A REST request of <paramref name="user"/> (its own token) on node <paramref name="name"/> with an optional JSON body; throws unless 200.</summary>
    public async Task SendAsync(string name, HttpMethod method, string path, string user, object? body = null)
    {
        using var request = new HttpRequestMessage(method, Url(name, path)) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", PresenceApp.Token(user));
        using var response = await _http.SendAsync(request);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {path} on {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Polls node <paramref name="name"/> until <paramref name="user"/>'s presence document satisfies <paramref name="done"/>.</summary>
    public async Task<JsonElement> WaitForDocumentAsync(string name, string user, Func<JsonElement, bool> done, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var doc = await GetAsync(name, user);
            if (done(doc)) return doc;
            if (watch.Elapsed > timeout) throw new TimeoutException($"node {name}: {user} is {doc} after {timeout}");
            await Task.Delay(20); // the other node's state is only observable by asking it
        }
    }

    /// <summary>The spreed message <paramref name="user"/> has on node <paramref name="name"/>, or <c>null</c>.</summary>
    public async Task<(string? Status, string? Message)> SpreedAsync(string name, string user)
    {
        var doc = await GetAsync(name, user);
        if (!doc.TryGetProperty("protocols", out var protocols) || !protocols.TryGetProperty("spreed", out var spreed)) return (null, null);
        return (spreed.GetProperty("status").GetString(), spreed.GetProperty("message").GetString());
    }

    /// <summary>Polls node <paramref name="name"/> until <paramref name="user"/>'s spreed status satisfies <paramref name="done"/>.</summary>
    public async Task<TimeSpan> WaitForSpreedAsync(string name, string user, Func<string?, string?, bool> done, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var (status, message) = await SpreedAsync(name, user);
            if (done(status, message)) return watch.Elapsed;
            if (watch.Elapsed > timeout) throw new TimeoutException($"node {name}: {user} has spreed {status} '{message}' after {timeout}");
            await Task.Delay(20); // the other node's state is only observable by asking it
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (name, (process, _)) in _nodes) if (!_killed.Contains(name)) await process.DisposeAsync();
        _http.Dispose();
    }
}
