namespace Presence.Web.Authentication;

/// <summary>
/// How the Data Protection key ring (which encrypts API clients' secrets) is protected at rest, section
/// <c>Presence:DataProtection</c> (issue 9 §4). Choose one:
/// <list type="bullet">
/// <item><see cref="CertificatePath"/>: keys stay in the database, each encrypted with the certificate's public key
/// (XML Encryption); a copy of the database alone reveals nothing. The certificate (PKCS #12 with private key) must be
/// kept, and configured on every instance: without it no API-client secret can be read again.</item>
/// <item><see cref="KeyDirectory"/>: keys are files in this directory instead of the database; it must exist and be
/// accessible by its owner only (mode 0700), checked at start. A copy of the database alone reveals nothing; the
/// directory must be backed up with it and shared by every instance.</item>
/// </list>
/// With neither, the keys are stored unencrypted in the database next to what they protect, and the service says so
/// at start.
/// </summary>
internal sealed class KeyRingOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Presence:DataProtection";

    /// <summary>PKCS #12 (<c>.pfx</c>) file with a certificate and its private key that encrypts the keys in the database.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Password of <see cref="CertificatePath"/> (never logged).</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Directory that holds the key ring instead of the database; owner-only permissions (0700) required.</summary>
    public string? KeyDirectory { get; set; }
}
