using Presence.Domain.Model;
using Presence.Domain.Tokens;
using Presence.Web.Configuration;

namespace Presence.Web.Hosting;

/// <summary>
/// Command-line verbs run instead of the service:
/// <c>token &lt;user&gt;</c> prints a zarafa-presence token for the user signed with <c>Presence:Tokens:SharedSecret</c>
/// (valid for <c>Presence:Tokens:Expiry</c>), e.g. <c>dotnet run --project src/Presence.Web -- token alice@example.com</c>.
/// </summary>
internal static class AdminCommands
{
    /// <summary>Runs a verb when <paramref name="args"/> starts with one.</summary>
    /// <returns><c>true</c> when a verb ran and the process should exit (the exit code is set on failure).</returns>
    public static Task<bool> TryRunAsync(string[] args, IConfiguration configuration) =>
        Task.FromResult(TryRun(args, configuration, Console.Out, Console.Error));

    /// <summary>Testable core of <see cref="TryRunAsync"/>.</summary>
    internal static bool TryRun(string[] args, IConfiguration configuration, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0] != "token") return false;
        if (args.Length != 2)
        {
            error.WriteLine("usage: token <user@domain>   prints a token signed with Presence:Tokens:SharedSecret");
            Environment.ExitCode = 2;
            return true;
        }
        if (!UserId.TryParse(args[1], out var user, out var why))
        {
            error.WriteLine($"'{args[1]}' is not a valid user id: {why}");
            Environment.ExitCode = 2;
            return true;
        }
        var secret = configuration[$"{TokenOptions.Section}:SharedSecret"];
        if (string.IsNullOrEmpty(secret))
        {
            error.WriteLine($"no shared secret is set, so no token can be minted: {SharedSecretPolicy.HowToSet} (the service must run with the same value), or use an API client's secret (/admin/clients)");
            Environment.ExitCode = 1;
            return true;
        }
        var environment = configuration[HostDefaults.EnvironmentKey] is { Length: > 0 } name ? name : Environments.Production;
        if (SharedSecretPolicy.Refusal(secret, new CommandEnvironment(environment)) is { } refused)
        {
            error.WriteLine(refused);
            Environment.ExitCode = 1;
            return true;
        }
        output.WriteLine(PresenceToken.Create(secret, user.Value, DateTimeOffset.UtcNow));
        return true;
    }

    /// <summary>The environment name for <see cref="SharedSecretPolicy.Refusal"/> (the command runs before the host is built).</summary>
    private sealed class CommandEnvironment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "Presence.Web";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
