using System.Diagnostics;
using System.Text;
using Presence.Xmpp.Tests.Integration;

namespace Presence.E2E.Tests;

/// <summary>
/// A clean copy of the repository (the files git tracks or would track: no bin/obj, no databases) in a temporary
/// directory, and one of its scripts started the way a new user starts it: its own process group, so a Ctrl-C
/// (SIGINT to the group) reaches it and everything it started in the foreground.
/// </summary>
public sealed class ScriptProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<(string Text, TaskCompletionSource Done)> _waiters = [];

    private ScriptProcess(Process process, string copy)
    {
        _process = process;
        Copy = copy;
    }

    /// <summary>The clean copy the script runs in.</summary>
    public string Copy { get; }

    /// <summary>Everything the script wrote so far (stdout and stderr).</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Copies the repository and starts <paramref name="script"/> with <paramref name="arguments"/>.</summary>
    public static async Task<ScriptProcess> StartAsync(string script, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var copy = Path.Combine(Path.GetTempPath(), "presence-copy-" + Guid.NewGuid().ToString("N")[..10]);
        await CopyRepositoryAsync(ProsodyServer.RepoRoot, copy);
        var start = new ProcessStartInfo("setsid") { WorkingDirectory = copy, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("bash");
        start.ArgumentList.Add(Path.Combine(copy, script));
        foreach (var a in arguments) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        var process = Process.Start(start)!;
        var result = new ScriptProcess(process, copy);
        process.OutputDataReceived += (_, e) => result.Append(e.Data);
        process.ErrorDataReceived += (_, e) => result.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    /// <summary>Waits until the output contains <paramref name="text"/>.</summary>
    /// <exception cref="TimeoutException">Not within <paramref name="timeout"/>, or the script exited first (with its output).</exception>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            if (_output.ToString().Contains(text, StringComparison.Ordinal)) return;
            _waiters.Add((text, done));
        }
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(done.Task, exited, Task.Delay(timeout));
        if (first != done.Task)
            throw new TimeoutException($"'{text}' not in the output {(first == exited ? "before the script exited" : $"within {timeout.TotalSeconds:0} s")}:\n{Output}");
    }

    /// <summary>Sends SIGINT to the script's process group (what Ctrl-C in a terminal does) and waits for it to exit.</summary>
    /// <returns>The exit code.</returns>
    public async Task<int> InterruptAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start(new ProcessStartInfo("kill", $"-INT -- -{_process.Id}") { UseShellExecute = false })!)
            await kill.WaitForExitAsync();
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    /// <summary>Processes still running whose command line names the copy (anything the script left behind).</summary>
    public IReadOnlyList<string> LeftoverProcesses()
    {
        var left = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                var cmd = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
                if (state != "Z" && cmd.Contains(Copy, StringComparison.Ordinal)) left.Add($"{pid}: {cmd}");
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return left;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", $"-KILL -- -{_process.Id}") { UseShellExecute = false })!;
            await kill.WaitForExitAsync();
        }
        foreach (var left in LeftoverProcesses())
            if (int.TryParse(left.Split(':')[0], out var pid)) try { Process.GetProcessById(pid).Kill(true); } catch (ArgumentException) { } catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(Copy, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.AppendLine(line);
            var text = _output.ToString();
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!text.Contains(_waiters[i].Text, StringComparison.Ordinal)) continue;
                _waiters[i].Done.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }
    }

    private static async Task CopyRepositoryAsync(string from, string to)
    {
        var list = new ProcessStartInfo("git", ["-C", from, "ls-files", "-z", "--cached", "--others", "--exclude-standard"])
        { RedirectStandardOutput = true, UseShellExecute = false };
        using var git = Process.Start(list)!;
        var files = (await git.StandardOutput.ReadToEndAsync()).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        await git.WaitForExitAsync();
        if (git.ExitCode != 0) throw new InvalidOperationException("git ls-files failed in " + from);
        foreach (var file in files)
        {
            var source = Path.Combine(from, file);
            if (!File.Exists(source)) continue; // deleted in the work tree
            var target = Path.Combine(to, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
            if (!OperatingSystem.IsWindows() && file.EndsWith(".sh", StringComparison.Ordinal)) File.SetUnixFileMode(target, File.GetUnixFileMode(source));
        }
    }
}
