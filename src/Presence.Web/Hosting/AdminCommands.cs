using Presence.Domain.Model;
using Presence.Domain.Tokens;
using Presence.Web.Configuration;

namespace Presence.Web.Hosting;

/// <summary>
/// Command-line verbs run instead of the service:
/// <c>token &lt;user&gt;</c> prints a zarafa-presence token for the user signed with <c>Presence:Tokens:SharedSecret</c>
/// (valid for <c>Presence:Tokens:Expiry</c>), e.g. <c>dotnet run --project src/Presence.Web -- token alice@example.com</c>;
/// <c>token &lt;user&gt; --secret-stdin</c> or <c>--secret-file &lt;path&gt;</c> signs with a secret read from standard
/// input or a file instead: an API client's, or the shared secret kept in a file. The secret is never taken as an
/// argument, where other users of the machine would see it in the process list.
/// </summary>
internal static class AdminCommands
{
    /// <summary>The usage line of the <c>token</c> verb.</summary>
    public const string TokenUsage =
        "usage: token <user@domain> [--secret-stdin | --secret-file <path>]   prints a token signed with Presence:Tokens:SharedSecret, " +
        "or with a secret (an API client's) read from standard input or a file";

    /// <summary>
    /// The one-line shell command that mints a token for <paramref name="user"/> with an API client's
    /// <paramref name="secret"/>, run in the repository: <c>printf</c> is a shell built-in, so the secret reaches the
    /// command on its standard input and never appears in the process list. API client secrets are URL-safe base64, so
    /// single quotes need no escaping.
    /// </summary>
    public static string TokenRecipe(string secret, string user) =>
        $"printf '%s\\n' '{secret}' | dotnet run --project src/Presence.Web -- token {user} --secret-stdin";

    /// <summary>Runs a verb when <paramref name="args"/> starts with one.</summary>
    /// <returns><c>true</c> when a verb ran and the process should exit (the exit code is set on failure).</returns>
    public static Task<bool> TryRunAsync(string[] args, IConfiguration configuration) =>
        Task.FromResult(TryRun(args, configuration, Console.In, Console.Out, Console.Error));

    /// <summary>Testable core of <see cref="TryRunAsync"/> for the shared secret (no standard input).</summary>
    internal static bool TryRun(string[] args, IConfiguration configuration, TextWriter output, TextWriter error) =>
        TryRun(args, configuration, TextReader.Null, output, error);

    /// <summary>Testable core of <see cref="TryRunAsync"/>.</summary>
    internal static bool TryRun(string[] args, IConfiguration configuration, TextReader input, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0] != "token") return false;
        var secretSource = args.Length switch
        {
            2 => "",
            3 when args[2] == "--secret-stdin" => "-",
            4 when args[2] == "--secret-file" => args[3],
            _ => null,
        };
        if (secretSource is null)
        {
            error.WriteLine(TokenUsage);
            Environment.ExitCode = 2;
            return true;
        }
        if (!UserId.TryParse(args[1], out var user, out var why))
        {
            error.WriteLine($"'{args[1]}' is not a valid user id: {why}");
            Environment.ExitCode = 2;
            return true;
        }
        if (secretSource.Length > 0)
        {
            // A secret given on standard input or in a file (an API client's, or the shared secret kept in a file):
            // whitespace around it (a file's or a pipe's newline) is not part of it.
            string? clientSecret;
            try
            {
                clientSecret = (secretSource == "-" ? input.ReadLine() : File.ReadAllText(secretSource))?.Trim();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                var relative = Path.IsPathRooted(secretSource) ? "" : $" (a relative path is taken from {Environment.CurrentDirectory}; dotnet run works in the project's directory: give an absolute path, or use --secret-stdin < file)";
                error.WriteLine($"cannot read the secret file '{secretSource}': {ex.Message}{relative}");
                Environment.ExitCode = 1;
                return true;
            }
            if (string.IsNullOrEmpty(clientSecret))
            {
                error.WriteLine(secretSource == "-" ? "no secret on standard input (expected the secret, e.g. an API client's, on the first line)" : $"the secret file '{secretSource}' is empty");
                Environment.ExitCode = 1;
                return true;
            }
            output.WriteLine(PresenceToken.Create(clientSecret, user.Value, DateTimeOffset.UtcNow));
            return true;
        }
        var secret = configuration[$"{TokenOptions.Section}:SharedSecret"];
        if (string.IsNullOrEmpty(secret))
        {
            error.WriteLine($"no shared secret is set, so no token can be minted: {SharedSecretPolicy.HowToSet} (the service must run with the same value), " +
                            "or sign with an API client's secret (/admin/clients): token <user> --secret-stdin or --secret-file <path>");
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
