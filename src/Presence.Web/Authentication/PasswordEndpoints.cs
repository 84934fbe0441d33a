using System.Security.Claims;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Presence.Web.Configuration;
using Presence.Web.Data;
using Presence.Web.Data.Entities;

namespace Presence.Web.Authentication;

/// <summary>
/// A signed-in user changes their own password (docs/ARCHITECTURE.md §10): <c>POST /account/password</c>, a plain form post like
/// sign-in (Identity renews the cookie on a normal HTTP response). The first admin's generated one-time password
/// carries the <see cref="MustChangeClaim"/>: until it is changed every dashboard page redirects here
/// (<see cref="RequirePasswordChange"/>). A change is written to the admin audit log; no password reaches a log line
/// or a URL.
/// </summary>
internal static class PasswordEndpoints
{
    /// <summary>Path of the form (its page and its post).</summary>
    public const string Path = "/account/password";

    /// <summary>User claim of an account whose password was generated and must be replaced before anything else.</summary>
    public const string MustChangeClaim = "presence:must-change-password";

    /// <summary>Maps <c>POST /account/password</c> (signed-in users, anti-forgery token required).</summary>
    public static IEndpointRouteBuilder MapPasswordEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, ChangeAsync).RequireAuthorization().ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>
    /// Redirects a page request (a Razor component page other than this form and sign-in) of an account holding the
    /// <see cref="MustChangeClaim"/> to the form, keeping where it was going. Call after routing and authentication.
    /// </summary>
    public static WebApplication RequirePasswordChange(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.User.HasClaim(MustChangeClaim, "true")
                && context.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>()?.Type is { } page
                && page != typeof(Components.Pages.Account.ChangePassword) && page != typeof(Components.Pages.SignIn))
            {
                var target = SignInEndpoints.LocalPath(context.Request.Path + context.Request.QueryString);
                context.Response.Redirect($"{context.Request.PathBase}{Path}?returnUrl={Uri.EscapeDataString(target)}");
                return;
            }
            await next(context);
        });
        return app;
    }

    private static async Task<IResult> ChangeAsync(
        [FromForm] ChangePasswordForm form, ClaimsPrincipal principal, UserManager<IdentityUser> users, SignInManager<IdentityUser> signIn,
        IDbContextFactory<PresenceDbContext> contexts, IOptions<AdminOptions> admin, TimeProvider time, ILoggerFactory loggers)
    {
        form ??= new ChangePasswordForm(); // a body whose fields all fail to bind arrives as no form at all
        var returnUrl = SignInEndpoints.LocalPath(form.ReturnUrl);
        var user = await users.GetUserAsync(principal);
        if (user is null) return TypedResults.LocalRedirect("~/signin");
        var log = loggers.CreateLogger(typeof(PasswordEndpoints));
        string? error = null, detail = null;
        if (string.IsNullOrEmpty(form.CurrentPassword) || string.IsNullOrEmpty(form.NewPassword)) error = "missing";
        else if (form.CurrentPassword.Length > SignInEndpoints.MaxPasswordLength || form.NewPassword.Length > SignInEndpoints.MaxPasswordLength) error = "too-long";
        else if (form.NewPassword != form.ConfirmPassword) error = "mismatch";
        else if (form.NewPassword == form.CurrentPassword) error = "same";
        else
        {
            var result = await users.ChangePasswordAsync(user, form.CurrentPassword, form.NewPassword);
            if (!result.Succeeded)
            {
                var wrongCurrent = result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch));
                error = wrongCurrent ? "current" : "policy";
                detail = wrongCurrent ? null : string.Join(",", result.Errors.Select(e => e.Code));
            }
        }
        if (error is not null)
        {
            log.LogWarning("Password change refused for {UserName} ({Reason})", user.UserName, error);
            var query = $"~{Path}?error={error}&returnUrl={Uri.EscapeDataString(returnUrl)}";
            return TypedResults.LocalRedirect(detail is null ? query : query + "&rules=" + Uri.EscapeDataString(detail));
        }

        var wasGenerated = (await users.GetClaimsAsync(user)).Where(c => c.Type == MustChangeClaim).ToList();
        if (wasGenerated.Count > 0) await users.RemoveClaimsAsync(user, wasGenerated);
        await signIn.RefreshSignInAsync(user); // the change renewed the security stamp: a new cookie, without the claim
        await AdminAudit.WriteAsync(contexts, time.GetUtcNow(), user.UserName, "account.password-change", $"'{user.UserName}'");
        log.LogInformation("User {UserName} changed their password", user.UserName);
        if (wasGenerated.Count > 0) DeleteOneTimePasswordFile(admin.Value, log);
        return TypedResults.LocalRedirect($"~{Path}?changed=1&returnUrl={Uri.EscapeDataString(returnUrl)}");
    }

    /// <summary>
    /// The sentences of Identity's password-policy error codes in <paramref name="codes"/> (comma-separated, from the
    /// form's redirect). Only known codes are described, from the configured options, so a crafted link cannot put
    /// its own text on the page.
    /// </summary>
    public static IReadOnlyList<string> DescribeRules(string? codes, PasswordOptions options)
    {
        var describer = new IdentityErrorDescriber();
        var known = new Dictionary<string, IdentityError>(StringComparer.Ordinal)
        {
            [nameof(IdentityErrorDescriber.PasswordTooShort)] = describer.PasswordTooShort(options.RequiredLength),
            [nameof(IdentityErrorDescriber.PasswordRequiresNonAlphanumeric)] = describer.PasswordRequiresNonAlphanumeric(),
            [nameof(IdentityErrorDescriber.PasswordRequiresDigit)] = describer.PasswordRequiresDigit(),
            [nameof(IdentityErrorDescriber.PasswordRequiresLower)] = describer.PasswordRequiresLower(),
            [nameof(IdentityErrorDescriber.PasswordRequiresUpper)] = describer.PasswordRequiresUpper(),
            [nameof(IdentityErrorDescriber.PasswordRequiresUniqueChars)] = describer.PasswordRequiresUniqueChars(options.RequiredUniqueChars),
        };
        return [.. (codes ?? "").Split(',').Distinct().Select(c => known.GetValueOrDefault(c)?.Description).OfType<string>()];
    }

    /// <summary>Deletes the file the generated one-time password was written to (it is useless now).</summary>
    private static void DeleteOneTimePasswordFile(AdminOptions admin, ILogger log)
    {
        var file = FirstAdminSeeder.PasswordFilePath(admin);
        try
        {
            if (!File.Exists(file)) return;
            File.Delete(file);
            log.LogInformation("Deleted the one-time password file {File}", file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log.LogWarning("Could not delete the one-time password file {File}: {Reason}; delete it by hand", file, ex.Message);
        }
    }

    /// <summary>Fields of the password form.</summary>
    public sealed class ChangePasswordForm
    {
        /// <summary>The password in use.</summary>
        public string? CurrentPassword { get; set; }

        /// <summary>The new password (Identity's policy: at least 8 characters, upper, lower, digit, symbol).</summary>
        public string? NewPassword { get; set; }

        /// <summary>The new password again.</summary>
        public string? ConfirmPassword { get; set; }

        /// <summary>Local URL to continue to afterwards.</summary>
        public string? ReturnUrl { get; set; }
    }
}
