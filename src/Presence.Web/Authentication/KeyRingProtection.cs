using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Presence.Web.Authentication;

/// <summary>Applies <see cref="KeyRingOptions"/> to Data Protection and checks them at start.</summary>
internal static class KeyRingProtection
{
    /// <summary>
    /// Configures where keys live (<see cref="DbXmlRepository"/> or <see cref="KeyRingOptions.KeyDirectory"/>) and the
    /// certificate encryptor, and validates the options on start (one line naming the key on failure).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">Read now for the certificate (Data Protection takes it at registration); the rest is bound as options.</param>
    public static IServiceCollection AddKeyRingProtection(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<KeyRingOptions>().BindConfiguration(KeyRingOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KeyRingOptions>, KeyRingOptionsValidator>();
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
        {
            var directory = sp.GetRequiredService<IOptions<KeyRingOptions>>().Value.KeyDirectory;
            o.XmlRepository = string.IsNullOrEmpty(directory)
                ? new DbXmlRepository(sp)
                : new FileSystemXmlRepository(new DirectoryInfo(directory), sp.GetRequiredService<ILoggerFactory>());
        }));
        var ring = configuration.GetSection(KeyRingOptions.Section).Get<KeyRingOptions>() ?? new KeyRingOptions();
        // An unreadable certificate is reported by the validator at start, in one line.
        if (Problem(ring) is null && LoadCertificate(ring) is { } certificate) services.AddDataProtection().ProtectKeysWithCertificate(certificate);
        services.AddHostedService<KeyRingNotice>();
        return services;
    }

    private static X509Certificate2? LoadCertificate(KeyRingOptions o) =>
        string.IsNullOrEmpty(o.CertificatePath) ? null : X509CertificateLoader.LoadPkcs12FromFile(o.CertificatePath, o.CertificatePassword);

    /// <summary>Why <paramref name="o"/> cannot be used, or <c>null</c>.</summary>
    internal static string? Problem(KeyRingOptions o)
    {
        if (!string.IsNullOrEmpty(o.CertificatePath))
        {
            if (!File.Exists(o.CertificatePath)) return $"Presence:DataProtection:CertificatePath '{o.CertificatePath}' does not exist.";
            try
            {
                using var certificate = LoadCertificate(o)!;
                if (!certificate.HasPrivateKey) return $"Presence:DataProtection:CertificatePath '{o.CertificatePath}' has no private key; a PKCS #12 file with the key is needed to read the keys back.";
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                return $"Presence:DataProtection:CertificatePath '{o.CertificatePath}' cannot be read as PKCS #12 with Presence:DataProtection:CertificatePassword (wrong password or not a .pfx file).";
            }
        }
        if (!string.IsNullOrEmpty(o.KeyDirectory))
        {
            if (!Directory.Exists(o.KeyDirectory)) return $"Presence:DataProtection:KeyDirectory '{o.KeyDirectory}' does not exist; create it with mode 0700 (mkdir -m 700).";
            if (!OperatingSystem.IsWindows())
            {
                var mode = File.GetUnixFileMode(o.KeyDirectory);
                const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
                if ((mode & others) != 0)
                    return $"Presence:DataProtection:KeyDirectory '{o.KeyDirectory}' is accessible by other users (mode {Convert.ToString((int)mode, 8)}); make it owner-only: chmod 700.";
            }
        }
        return null;
    }

    private sealed class KeyRingOptionsValidator : IValidateOptions<KeyRingOptions>
    {
        public ValidateOptionsResult Validate(string? name, KeyRingOptions o) => Problem(o) is { } why ? ValidateOptionsResult.Fail(why) : ValidateOptionsResult.Success;
    }

    /// <summary>One start-up line saying how the key ring is protected.</summary>
    private sealed class KeyRingNotice(IOptions<KeyRingOptions> options, ILoggerFactory loggers) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var o = options.Value;
            var log = loggers.CreateLogger("Presence.Web.Authentication.KeyRing");
            if (!string.IsNullOrEmpty(o.CertificatePath)) log.LogInformation("Data Protection keys are stored in the database, encrypted with the certificate {Path}", o.CertificatePath);
            else if (!string.IsNullOrEmpty(o.KeyDirectory)) log.LogInformation("Data Protection keys are stored in the owner-only directory {Directory}", o.KeyDirectory);
            else log.LogWarning("Data Protection keys are stored unencrypted in the database, next to the API-client secrets they protect; set Presence:DataProtection:CertificatePath or Presence:DataProtection:KeyDirectory (see the README's Security section)");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
