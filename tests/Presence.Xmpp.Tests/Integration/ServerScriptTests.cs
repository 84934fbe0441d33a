using System.Diagnostics;

namespace Presence.Xmpp.Tests.Integration;

/// <summary>The server scripts refuse bad settings with one line naming the setting, before starting anything.</summary>
public sealed class ServerScriptTests
{
    private static async Task<(int Code, string Error)> RunAsync(string script, string variable, string value)
    {
        var directory = Path.Combine(Path.GetTempPath(), "presence-script-" + Guid.NewGuid().ToString("N")[..8]);
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(ProsodyServer.RepoRoot, "scripts", script), "start", "--dir", directory }) start.ArgumentList.Add(a);
        start.Environment[variable] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await stdout;
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return (process.ExitCode, await stderr);
    }

    [Theory]
    [InlineData("prosody.sh", "PROSODY_PRIVILEGE", "yes", "prosody.sh: invalid PROSODY_PRIVILEGE 'yes' (0 or 1)")]
    [InlineData("ejabberd.sh", "EJABBERD_PRIVILEGE", "yes", "ejabberd.sh: invalid EJABBERD_PRIVILEGE 'yes' (0 or 1)")]
    [InlineData("ejabberd.sh", "EJABBERD_C2S_PORT", "70000", "ejabberd.sh: invalid port '70000' (1..65535)")]
    public async Task ABadSettingIsRefusedWithOneLineNamingIt(string script, string variable, string value, string expected)
    {
        var (code, error) = await RunAsync(script, variable, value);

        Assert.NotEqual(0, code);
        Assert.Equal(expected, error.Trim());
    }
}
