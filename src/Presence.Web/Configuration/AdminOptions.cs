namespace Presence.Web.Configuration;

/// <summary>First administrator, section <c>Presence:Admin</c> (docs/ARCHITECTURE.md §10).</summary>
internal sealed class AdminOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Presence:Admin";

    /// <summary>User name of the first admin, default <c>admin</c>.</summary>
    public string UserName { get; set; } = "admin";

    /// <summary>Password of the first admin; empty means a generated one-time password written to <see cref="PasswordFile"/> on first start.</summary>
    public string? Password { get; set; }

    /// <summary>Default of <see cref="PasswordFile"/>.</summary>
    public const string DefaultPasswordFile = "first-admin-password.txt";

    /// <summary>Where a generated first-admin password is written (owner-only, 0600), relative to the working directory; default <c>first-admin-password.txt</c>.</summary>
    public string? PasswordFile { get; set; }
}
