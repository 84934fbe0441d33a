using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Presence.Web.Configuration;

namespace Presence.Web.Authentication;

/// <summary>
/// Creates the first administrator on start when no user has the <see cref="DashboardRoles.Admin"/> role (docs/ARCHITECTURE.md §10):
/// from <c>Presence:Admin:UserName</c>/<c>Password</c>, or with a generated one-time password written to the
/// owner-only file <c>Presence:Admin:PasswordFile</c> (mode 0600; the log names the file, never the password), which
/// must be changed at the first sign-in (<see cref="PasswordEndpoints.MustChangeClaim"/>).
/// Runs after the database migrations (they run in <c>StartingAsync</c>).
/// </summary>
internal sealed class FirstAdminSeeder(IServiceScopeFactory scopes, IOptions<AdminOptions> options, ILogger<FirstAdminSeeder> logger) : IHostedService
{
    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The configured user name or password is refused by Identity; the message names the key.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        if (!await roles.RoleExistsAsync(DashboardRoles.Admin))
        {
            Check(await roles.CreateAsync(new IdentityRole(DashboardRoles.Admin)), "creating the admin role");
        }
        if ((await users.GetUsersInRoleAsync(DashboardRoles.Admin)).Count > 0) return;

        var admin = options.Value;
        var userName = string.IsNullOrWhiteSpace(admin.UserName) ? "admin" : admin.UserName.Trim();
        var generated = string.IsNullOrEmpty(admin.Password);
        var password = generated ? GeneratePassword() : admin.Password!;
        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            user = new IdentityUser(userName);
            Check(await users.CreateAsync(user, password), $"creating the first admin (Presence:Admin:UserName '{userName}', Presence:Admin:Password)");
        }
        else
        {
            // An existing account of that name becomes admin; its password is reset to the configured or generated one.
            var token = await users.GeneratePasswordResetTokenAsync(user);
            Check(await users.ResetPasswordAsync(user, token, password), "setting Presence:Admin:Password");
        }
        Check(await users.AddToRoleAsync(user, DashboardRoles.Admin), "adding the first admin to the admin role");
        if (generated)
        {
            Check(await users.AddClaimAsync(user, new System.Security.Claims.Claim(PasswordEndpoints.MustChangeClaim, "true")), "marking the generated password for change");
            var file = PasswordFilePath(admin);
            WriteOwnerOnly(file, password + "\n");
            logger.LogWarning("Created the first admin '{UserName}' with a generated password, written to {File} (readable by this account only) — " +
                              "sign in with it and choose your own password (the file is deleted then); or set Presence:Admin:Password before the first start", userName, file);
        }
        else
        {
            logger.LogInformation("Created the first admin '{UserName}' from Presence:Admin", userName);
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The full path of the one-time password file (<c>Presence:Admin:PasswordFile</c>, relative to the working directory).</summary>
    public static string PasswordFilePath(AdminOptions admin) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(admin.PasswordFile) ? AdminOptions.DefaultPasswordFile : admin.PasswordFile);

    /// <summary>A 20-character random password with upper, lower, digit and symbol (meets Identity's default rules).</summary>
    public static string GeneratePassword()
    {
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", lower = "abcdefghijkmnopqrstuvwxyz", digits = "23456789", symbols = "-_.!#%+";
        const string all = upper + lower + digits + symbols;
        var chars = new char[20];
        chars[0] = upper[RandomNumberGenerator.GetInt32(upper.Length)];
        chars[1] = lower[RandomNumberGenerator.GetInt32(lower.Length)];
        chars[2] = digits[RandomNumberGenerator.GetInt32(digits.Length)];
        chars[3] = symbols[RandomNumberGenerator.GetInt32(symbols.Length)];
        for (var i = 4; i < chars.Length; i++) chars[i] = all[RandomNumberGenerator.GetInt32(all.Length)];
        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }

    /// <summary>Writes <paramref name="text"/> to a new or truncated file readable and writable by its owner only (0600).</summary>
    private static void WriteOwnerOnly(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
        }
        // An existing file keeps its old mode when truncated: set it again.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Failed {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }
}
