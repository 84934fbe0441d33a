using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Presence.Web.Configuration;

/// <summary>
/// Checks <see cref="AdminOptions"/> (<c>Presence:Admin</c>) against the dashboard's Identity rules before anything
/// starts, so a configured password or user name Identity would refuse stops the service with one line naming the key
/// (instead of the first-admin seeder failing after the database has been migrated). The password itself is never
/// repeated in the message.
/// </summary>
internal sealed class AdminOptionsValidator(IOptions<IdentityOptions> identity) : IValidateOptions<AdminOptions>
{
    private static readonly IdentityErrorDescriber Describer = new();

    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        var errors = new List<string>();
        var allowed = identity.Value.User.AllowedUserNameCharacters;
        var userName = options.UserName?.Trim() ?? "";
        if (!string.IsNullOrEmpty(allowed) && userName.FirstOrDefault(c => !allowed.Contains(c)) is var bad && bad != '\0')
        {
            var symbols = new string(allowed.Where(c => !char.IsLetterOrDigit(c)).ToArray());
            errors.Add($"{AdminOptions.Section}:UserName: '{userName}' contains '{bad}', which a dashboard user name may not; expected letters, digits and {symbols} only.");
        }
        if (!string.IsNullOrEmpty(options.Password) && PasswordProblems(options.Password, identity.Value.Password) is { Count: > 0 } problems)
        {
            errors.Add($"{AdminOptions.Section}:Password does not meet the dashboard's password rules: {string.Join(" ", problems)} " +
                       "Expected 8 characters or more with upper- and lower-case letters, a digit and a symbol; or leave it empty for a generated one-time password.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>
    /// What <paramref name="password"/> lacks under <paramref name="rules"/>, in Identity's own words; the same checks as
    /// Identity's <c>PasswordValidator</c> (ASCII digits and letters; any other character counts as a symbol).
    /// </summary>
    internal static List<string> PasswordProblems(string password, PasswordOptions rules)
    {
        static bool Digit(char c) => c is >= '0' and <= '9';
        static bool Lower(char c) => c is >= 'a' and <= 'z';
        static bool Upper(char c) => c is >= 'A' and <= 'Z';
        var problems = new List<string>();
        if (password.Length < rules.RequiredLength) problems.Add(Describer.PasswordTooShort(rules.RequiredLength).Description);
        if (rules.RequireNonAlphanumeric && password.All(c => Digit(c) || Lower(c) || Upper(c))) problems.Add(Describer.PasswordRequiresNonAlphanumeric().Description);
        if (rules.RequireDigit && !password.Any(Digit)) problems.Add(Describer.PasswordRequiresDigit().Description);
        if (rules.RequireLowercase && !password.Any(Lower)) problems.Add(Describer.PasswordRequiresLower().Description);
        if (rules.RequireUppercase && !password.Any(Upper)) problems.Add(Describer.PasswordRequiresUpper().Description);
        if (rules.RequiredUniqueChars >= 1 && password.Distinct().Count() < rules.RequiredUniqueChars)
            problems.Add(Describer.PasswordRequiresUniqueChars(rules.RequiredUniqueChars).Description);
        return problems;
    }
}
