using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Presence.Web.Authentication;
using Presence.Web.Data;
using Presence.Web.Tests.Infrastructure;
using static Presence.Web.Tests.Infrastructure.PresenceApp;

namespace Presence.Web.Tests;

/// <summary>The Data Protection key ring that encrypts API-client secrets is protected at rest (issue 9 §4).</summary>
public sealed class KeyRingProtectionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("presence-keyring-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string CertificateFile(string password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=presence-key-ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_dir, "key-ring.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return path;
    }

    private static async Task<List<string>> StoredKeysAsync(PresenceApp app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<PresenceDbContext>>().CreateDbContextAsync();
        return await db.DataProtectionKeys.Select(k => k.Xml).ToListAsync();
    }

    [Fact]
    public async Task WithACertificateTheKeysInTheDatabaseAreEncryptedAndSecretsSurviveARestart()
    {
        using var db = TempDatabase.Sqlite();
        var settings = new Dictionary<string, string?>
        {
            ["Presence:DataProtection:CertificatePath"] = CertificateFile("pfx-pass"),
            ["Presence:DataProtection:CertificatePassword"] = "pfx-pass",
        };
        string secret;
        await using (var app = new PresenceApp(db, settings))
        {
            secret = (await app.Services.GetRequiredService<ApiClientService>().CreateAsync("meetings", ApiScopes.WriteAny, null, "admin")).Secret;
            var keys = await StoredKeysAsync(app);
            Assert.NotEmpty(keys);
            Assert.All(keys, k => Assert.Contains("EncryptedData", k));
            Assert.All(keys, k => Assert.DoesNotContain("<masterKey", k));
        }
        await using (var restarted = new PresenceApp(db, settings))
        {
            var r = await restarted.CompatAsync(HttpMethod.Put, Envelope(Token("quinn@example.com", secret: secret), Entry("quinn@example.com", "spreed", "busy")));
            Assert.Equal(200, (int)r.StatusCode);
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task WithAnOwnerOnlyKeyDirectoryTheKeysLiveThereAndNotInTheDatabase()
    {
        using var db = TempDatabase.Sqlite();
        var keys = Directory.CreateDirectory(Path.Combine(_dir, "keys"));
        File.SetUnixFileMode(keys.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await using var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:DataProtection:KeyDirectory"] = keys.FullName });

        await app.Services.GetRequiredService<ApiClientService>().CreateAsync("meetings", ApiScopes.Read, null, "admin");

        Assert.NotEmpty(Directory.GetFiles(keys.FullName, "key-*.xml"));
        Assert.Empty(await StoredKeysAsync(app));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void AKeyDirectoryOtherUsersCanReadStopsTheServiceNamingTheKeyAndTheFix()
    {
        using var db = TempDatabase.Sqlite();
        var keys = Directory.CreateDirectory(Path.Combine(_dir, "open-keys"));
        File.SetUnixFileMode(keys.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        using var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:DataProtection:KeyDirectory"] = keys.FullName });

        var ex = Assert.ThrowsAny<Exception>(() => app.Server);

        Assert.Contains("Presence:DataProtection:KeyDirectory", ex.ToString());
        Assert.Contains("chmod 700", ex.ToString());
    }

    [Fact]
    public void AWrongCertificatePasswordStopsTheServiceWithoutEchoingThePassword()
    {
        using var db = TempDatabase.Sqlite();
        using var app = new PresenceApp(db, new Dictionary<string, string?>
        {
            ["Presence:DataProtection:CertificatePath"] = CertificateFile("right-pass"),
            ["Presence:DataProtection:CertificatePassword"] = "wrong-pass-123",
        });

        var ex = Assert.ThrowsAny<Exception>(() => app.Server);

        Assert.Contains("Presence:DataProtection:CertificatePath", ex.ToString());
        Assert.DoesNotContain("wrong-pass-123", ex.ToString());
    }
}
