using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Presence.Web.Configuration;

namespace Presence.Web.Authentication;

/// <summary>
/// Sign-in and sign-out as plain form posts (the sign-in page is static server-rendered): Identity sets or clears the
/// cookie on a normal HTTP response, which an interactive circuit cannot do. Both forms carry an anti-forgery token,
/// validated by the antiforgery middleware because the handlers bind form fields.
/// </summary>
internal static class SignInEndpoints
{
    /// <summary>Form action of the sign-in page.</summary>
    public const string SignInPath = "/account/signin";

    /// <summary>Form action of the sign-out button.</summary>
    public const string SignOutPath = "/account/signout";

    /// <summary>Maps <c>POST /account/signin</c> and <c>POST /account/signout</c>.</summary>
    public static IEndpointRouteBuilder MapSignInEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(SignInPath, SignInAsync).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapPost(SignOutPath, SignOutAsync).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> SignInAsync(
        [FromForm] SignInForm form, SignInManager<IdentityUser> signIn, ILoggerFactory loggers)
    {
        form ??= new SignInForm(); // a body whose fields all fail to bind arrives as no form at all
        var returnUrl = LocalPath(form.ReturnUrl);
        if (string.IsNullOrWhiteSpace(form.UserName) || string.IsNullOrEmpty(form.Password))
        {
            return TypedResults.LocalRedirect(FailedUrl("missing", returnUrl));
        }
        var log = loggers.CreateLogger(typeof(SignInEndpoints));
        var userName = form.UserName.Trim();
        if (userName.Length > MaxUserNameLength || form.Password.Length > MaxPasswordLength)
        {
            log.LogWarning("Sign-in refused: the user name or password is longer than allowed ({MaxUserName} / {MaxPassword} characters)", MaxUserNameLength, MaxPasswordLength);
            return TypedResults.LocalRedirect(FailedUrl("invalid", returnUrl));
        }
        var result = await signIn.PasswordSignInAsync(userName, form.Password, form.Remember, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            log.LogInformation("User {UserName} signed in", userName);
            return TypedResults.LocalRedirect("~" + returnUrl);
        }
        // A user name that names no account is not logged: people type their password into the wrong field.
        var known = await signIn.UserManager.FindByNameAsync(userName) is not null;
        var reason = result.IsLockedOut ? "locked out" : "wrong user name or password";
        if (known) log.LogWarning("Sign-in refused for {UserName} ({Reason})", userName, reason);
        else log.LogWarning("Sign-in refused for a user name that names no account (not logged) ({Reason})", reason);
        return TypedResults.LocalRedirect(FailedUrl(result.IsLockedOut ? "locked" : "invalid", returnUrl));
    }

    private static async Task<IResult> SignOutAsync(SignInManager<IdentityUser> signIn, IOptions<BoardOptions> board, [FromForm] string? returnUrl)
    {
        await signIn.SignOutAsync();
        return TypedResults.LocalRedirect(board.Value.AllowAnonymous ? "~" + LocalPath(returnUrl) : "~/signin");
    }

    private static string FailedUrl(string error, string returnUrl) =>
        $"~/signin?error={error}&returnUrl={Uri.EscapeDataString(returnUrl)}";

    /// <summary>Longest user name accepted by the form, in characters (longer ones are refused without a database lookup).</summary>
    public const int MaxUserNameLength = 256;

    /// <summary>Longest password accepted by the form, in characters.</summary>
    public const int MaxPasswordLength = 1024;

    /// <summary>
    /// <paramref name="url"/> when it is a local path (one leading '/', no control characters such as a tab, at most
    /// 2,048 characters), else <c>/</c>: never redirects off-site, and never hands <c>LocalRedirect</c> a URL it refuses.
    /// </summary>
    internal static string LocalPath(string? url) =>
        !string.IsNullOrEmpty(url) && url.Length <= 2048 && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(char.IsControl) ? url : "/";

    /// <summary>Fields of the sign-in form.</summary>
    public sealed class SignInForm
    {
        /// <summary>User name.</summary>
        public string? UserName { get; set; }

        /// <summary>Password.</summary>
        public string? Password { get; set; }

        /// <summary>
        /// Keep the cookie after the browser closes: <c>true</c> (the checkbox's value) or <c>on</c>; anything else is
        /// no. Text, not a boolean, so that an odd value is not a binding failure (a 400 with an error log naming it).
        /// </summary>
        public string? RememberMe { get; set; }

        /// <summary>Whether <see cref="RememberMe"/> asks to keep the cookie.</summary>
        public bool Remember => RememberMe is { } v && (v.Equals("true", StringComparison.OrdinalIgnoreCase) || v.Equals("on", StringComparison.OrdinalIgnoreCase));

        /// <summary>Local URL to return to.</summary>
        public string? ReturnUrl { get; set; }
    }
}
