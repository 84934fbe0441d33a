using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Presence.Xmpp.Tests.Integration;
using Xunit.Abstractions;

namespace Presence.E2E.Tests;

/// <summary>
/// <c>scripts/cluster.sh</c>, as the README's "Several nodes" offers it: from a clean copy, a private PostgreSQL, three
/// nodes, HAProxy in front and Prosody; the printed write works through HAProxy and shows on every node; Ctrl-C stops
/// all of it.
/// </summary>
public sealed class ClusterScriptTests(ITestOutputHelper output)
{
    private static bool Listening(int port)
    {
        try { using var c = new TcpClient(); c.Connect("127.0.0.1", port); return true; }
        catch (SocketException) { return false; }
    }

    // Runs a printed command in the copy, as the user would in their terminal; returns its standard output.
    private static string RunIn(string directory, string file, string[] args, IDictionary<string, string> environment)
    {
        var start = new System.Diagnostics.ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment) start.Environment[k] = v;
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {stderr}");
        return stdout.Result;
    }

    [Fact]
    public async Task TheClusterScriptRunsThreeNodesBehindHAProxyWhoseWritesShowOnEveryNodeAndCtrlCStopsEverything()
    {
        var port = ProsodyServer.FreePort();
        while (Enumerable.Range(1, 3).Any(i => Listening(port + i)) || Listening(port + 100)) port = ProsodyServer.FreePort();
        var c2s = ProsodyServer.FreePort();
        var component = ProsodyServer.FreePort();
        await using var cluster = await ScriptProcess.StartAsync("scripts/cluster.sh", ["--port", port.ToString()],
            new Dictionary<string, string> { ["PROSODY_C2S_PORT"] = c2s.ToString(), ["PROSODY_COMPONENT_PORT"] = component.ToString() });
        try
        {
            await cluster.WaitForOutputAsync("Presence cluster is running", TimeSpan.FromMinutes(8));
            var secret = Regex.Match(cluster.Output, @"export Presence__Tokens__SharedSecret='([^']+)'").Groups[1].Value;
            Assert.NotEmpty(secret);
            Assert.Contains($"http://127.0.0.1:{port} (HAProxy)", cluster.Output);

            // The printed write, through HAProxy, with a token the printed command mints.
            var token = RunIn(cluster.Copy, "dotnet", ["run", "--project", "src/Presence.Web", "--", "token", "alice@localhost"],
                new Dictionary<string, string> { ["Presence__Tokens__SharedSecret"] = secret }).Trim();
            using var http = new HttpClient();
            using (var put = new HttpRequestMessage(HttpMethod.Put, $"http://127.0.0.1:{port}/api/v1/presence/alice@localhost/spreed")
                   { Content = JsonContent.Create(new { status = "busy" }) })
            {
                put.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                Assert.Equal(200, (int)(await http.SendAsync(put)).StatusCode);
            }
            for (var i = 1; i <= 3; i++)
            {
                var deadline = DateTime.UtcNow.AddSeconds(10);
                while (true)
                {
                    using var get = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port + i}/api/v1/presence/alice@localhost");
                    get.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    using var answer = await http.SendAsync(get);
                    if (answer.IsSuccessStatusCode && (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("overall").GetString() == "busy") break;
                    Assert.True(DateTime.UtcNow < deadline, $"node-{i} does not show the write");
                    await Task.Delay(50); // another node's state is only observable by asking it
                }
            }

            // The health details, through HAProxy, list the three nodes.
            using (var health = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/healthz"))
            {
                health.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                var doc = await (await http.SendAsync(health)).Content.ReadFromJsonAsync<JsonElement>();
                output.WriteLine(doc.ToString());
                Assert.Equal(3, doc.GetProperty("cluster").GetProperty("nodes").GetArrayLength());
            }

            var code = await cluster.InterruptAsync(TimeSpan.FromSeconds(90));
            Assert.Contains("cluster.sh: stopping", cluster.Output);
            Assert.Empty(cluster.LeftoverProcesses());
            Assert.False(Listening(port), "HAProxy still listens after Ctrl-C");
            Assert.False(Listening(port + 1), "a node still listens after Ctrl-C");
            Assert.False(Listening(c2s), "Prosody still listens after Ctrl-C");
            output.WriteLine($"cluster.sh exited with {code}");
        }
        catch
        {
            output.WriteLine(cluster.Output);
            throw;
        }
    }
}
