using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Migrations.Operations.Builders;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Presence.Web.Data.Migrations;

/// <summary>
/// The initial schema (DESIGN §8), written by hand. Column types are left to the provider (SQLite or PostgreSQL)
/// from each column's CLR type and maximum length, so one migration serves both; only the Identity passkey JSON
/// column names <c>jsonb</c> on PostgreSQL. Identity tables follow Identity schema version 3.
/// </summary>
[DbContext(typeof(PresenceDbContext))]
[Migration("20261121000000_Initial")]
public sealed class Initial : Migration
{
    private const string SqliteAutoincrement = "Sqlite:Autoincrement";
    private const string NpgsqlStrategy = "Npgsql:ValueGenerationStrategy";
    private const string NpgsqlProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";


    /// <inheritdoc />
    protected override void Up(MigrationBuilder m)
    {
        const int jid = PresenceDbContext.UserIdMaxLength;

        m.CreateTable("Users", t => new
        {
            Id = t.Column<string>(maxLength: jid, nullable: false),
            LastChange = t.Column<DateTime>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_Users", x => x.Id));

        m.CreateTable("ProtocolStatuses", t => new
        {
            UserId = t.Column<string>(maxLength: jid, nullable: false),
            Protocol = t.Column<string>(maxLength: 32, nullable: false),
            State = t.Column<string>(maxLength: 16, nullable: false),
            Show = t.Column<string>(maxLength: 16, nullable: true),
            Message = t.Column<string>(nullable: false),
            Since = t.Column<DateTime>(nullable: false),
            AnnotationKind = t.Column<string>(maxLength: 32, nullable: true),
            AnnotationFrom = t.Column<string>(nullable: true),
            AnnotationDescription = t.Column<string>(nullable: true),
            AnnotationSince = t.Column<DateTime>(nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_ProtocolStatuses", x => new { x.UserId, x.Protocol });
            t.ForeignKey("FK_ProtocolStatuses_Users_UserId", x => x.UserId, "Users", "Id", onDelete: ReferentialAction.Cascade);
        });

        m.CreateTable("XmppResources", t => new
        {
            UserId = t.Column<string>(maxLength: jid, nullable: false),
            Resource = t.Column<string>(maxLength: 1023, nullable: false),
            Show = t.Column<string>(maxLength: 16, nullable: false),
            Priority = t.Column<int>(nullable: false),
            Message = t.Column<string>(nullable: false),
            Since = t.Column<DateTime>(nullable: false),
            Ip = t.Column<string>(maxLength: 64, nullable: true),
            Hostname = t.Column<string>(maxLength: 255, nullable: true),
            AnnotationKind = t.Column<string>(maxLength: 32, nullable: true),
            AnnotationFrom = t.Column<string>(nullable: true),
            AnnotationDescription = t.Column<string>(nullable: true),
            AnnotationSince = t.Column<DateTime>(nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_XmppResources", x => new { x.UserId, x.Resource });
            t.ForeignKey("FK_XmppResources_Users_UserId", x => x.UserId, "Users", "Id", onDelete: ReferentialAction.Cascade);
        });

        m.CreateTable("History", t => new
        {
            Id = Identity(t.Column<long>(nullable: false)),
            UserId = t.Column<string>(maxLength: jid, nullable: false),
            At = t.Column<DateTime>(nullable: false),
            Protocol = t.Column<string>(maxLength: 32, nullable: false),
            State = t.Column<string>(maxLength: 16, nullable: false),
            Show = t.Column<string>(maxLength: 16, nullable: true),
            Message = t.Column<string>(nullable: false),
            AnnotationKind = t.Column<string>(maxLength: 32, nullable: true),
            AnnotationFrom = t.Column<string>(nullable: true),
            AnnotationDescription = t.Column<string>(nullable: true),
            Cause = t.Column<string>(maxLength: 32, nullable: false),
        }, constraints: t => t.PrimaryKey("PK_History", x => x.Id));
        m.CreateIndex("IX_History_UserId_At", "History", ["UserId", "At"]);
        m.CreateIndex("IX_History_At", "History", "At");

        m.CreateTable("ComponentSubscribers", t => new
        {
            BareJid = t.Column<string>(maxLength: jid, nullable: false),
            Since = t.Column<DateTime>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_ComponentSubscribers", x => x.BareJid));

        m.CreateTable("ApiClients", t => new
        {
            Id = Identity(t.Column<long>(nullable: false)),
            Name = t.Column<string>(maxLength: 100, nullable: false),
            ProtectedSecret = t.Column<string>(nullable: false),
            PreviousProtectedSecret = t.Column<string>(nullable: true),
            PreviousSecretValidUntil = t.Column<DateTime>(nullable: true),
            Scopes = t.Column<string>(maxLength: 64, nullable: false),
            CreatedAt = t.Column<DateTime>(nullable: false),
            ExpiresAt = t.Column<DateTime>(nullable: true),
            RevokedAt = t.Column<DateTime>(nullable: true),
            LastUsedAt = t.Column<DateTime>(nullable: true),
            UseCount = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_ApiClients", x => x.Id));
        m.CreateIndex("IX_ApiClients_Name", "ApiClients", "Name", unique: true);

        m.CreateTable("AdminAudit", t => new
        {
            Id = Identity(t.Column<long>(nullable: false)),
            At = t.Column<DateTime>(nullable: false),
            Actor = t.Column<string>(maxLength: 256, nullable: false),
            Action = t.Column<string>(maxLength: 64, nullable: false),
            Detail = t.Column<string>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_AdminAudit", x => x.Id));
        m.CreateIndex("IX_AdminAudit_At", "AdminAudit", "At");

        m.CreateTable("DataProtectionKeys", t => new
        {
            Id = Identity(t.Column<long>(nullable: false)),
            FriendlyName = t.Column<string>(nullable: true),
            Xml = t.Column<string>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_DataProtectionKeys", x => x.Id));

        UpIdentity(m);
    }

    private void UpIdentity(MigrationBuilder m)
    {
        m.CreateTable("AspNetRoles", t => new
        {
            Id = t.Column<string>(nullable: false),
            Name = t.Column<string>(maxLength: 256, nullable: true),
            NormalizedName = t.Column<string>(maxLength: 256, nullable: true),
            ConcurrencyStamp = t.Column<string>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_AspNetRoles", x => x.Id));

        m.CreateTable("AspNetUsers", t => new
        {
            Id = t.Column<string>(nullable: false),
            UserName = t.Column<string>(maxLength: 256, nullable: true),
            NormalizedUserName = t.Column<string>(maxLength: 256, nullable: true),
            Email = t.Column<string>(maxLength: 256, nullable: true),
            NormalizedEmail = t.Column<string>(maxLength: 256, nullable: true),
            EmailConfirmed = t.Column<bool>(nullable: false),
            PasswordHash = t.Column<string>(nullable: true),
            SecurityStamp = t.Column<string>(nullable: true),
            ConcurrencyStamp = t.Column<string>(nullable: true),
            PhoneNumber = t.Column<string>(maxLength: 256, nullable: true),
            PhoneNumberConfirmed = t.Column<bool>(nullable: false),
            TwoFactorEnabled = t.Column<bool>(nullable: false),
            LockoutEnd = t.Column<DateTimeOffset>(nullable: true),
            LockoutEnabled = t.Column<bool>(nullable: false),
            AccessFailedCount = t.Column<int>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_AspNetUsers", x => x.Id));

        m.CreateTable("AspNetRoleClaims", t => new
        {
            Id = Identity(t.Column<int>(nullable: false)),
            RoleId = t.Column<string>(nullable: false),
            ClaimType = t.Column<string>(nullable: true),
            ClaimValue = t.Column<string>(nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_AspNetRoleClaims", x => x.Id);
            t.ForeignKey("FK_AspNetRoleClaims_AspNetRoles_RoleId", x => x.RoleId, "AspNetRoles", "Id", onDelete: ReferentialAction.Cascade);
        });

        m.CreateTable("AspNetUserClaims", t => new
        {
            Id = Identity(t.Column<int>(nullable: false)),
            UserId = t.Column<string>(nullable: false),
            ClaimType = t.Column<string>(nullable: true),
            ClaimValue = t.Column<string>(nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_AspNetUserClaims", x => x.Id);
            t.ForeignKey("FK_AspNetUserClaims_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });

        m.CreateTable("AspNetUserLogins", t => new
        {
            LoginProvider = t.Column<string>(maxLength: 128, nullable: false),
            ProviderKey = t.Column<string>(maxLength: 128, nullable: false),
            ProviderDisplayName = t.Column<string>(nullable: true),
            UserId = t.Column<string>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_AspNetUserLogins", x => new { x.LoginProvider, x.ProviderKey });
            t.ForeignKey("FK_AspNetUserLogins_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });

        m.CreateTable("AspNetUserPasskeys", t => new
        {
            CredentialId = t.Column<byte[]>(nullable: false),
            UserId = t.Column<string>(nullable: false),
            Data = t.Column<string>(type: m.ActiveProvider == NpgsqlProvider ? "jsonb" : null, nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_AspNetUserPasskeys", x => x.CredentialId);
            t.ForeignKey("FK_AspNetUserPasskeys_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });

        m.CreateTable("AspNetUserRoles", t => new
        {
            UserId = t.Column<string>(nullable: false),
            RoleId = t.Column<string>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_AspNetUserRoles", x => new { x.UserId, x.RoleId });
            t.ForeignKey("FK_AspNetUserRoles_AspNetRoles_RoleId", x => x.RoleId, "AspNetRoles", "Id", onDelete: ReferentialAction.Cascade);
            t.ForeignKey("FK_AspNetUserRoles_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });

        m.CreateTable("AspNetUserTokens", t => new
        {
            UserId = t.Column<string>(nullable: false),
            LoginProvider = t.Column<string>(maxLength: 128, nullable: false),
            Name = t.Column<string>(maxLength: 128, nullable: false),
            Value = t.Column<string>(nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_AspNetUserTokens", x => new { x.UserId, x.LoginProvider, x.Name });
            t.ForeignKey("FK_AspNetUserTokens_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });

        m.CreateIndex("IX_AspNetRoleClaims_RoleId", "AspNetRoleClaims", "RoleId");
        m.CreateIndex("RoleNameIndex", "AspNetRoles", "NormalizedName", unique: true);
        m.CreateIndex("IX_AspNetUserClaims_UserId", "AspNetUserClaims", "UserId");
        m.CreateIndex("IX_AspNetUserLogins_UserId", "AspNetUserLogins", "UserId");
        m.CreateIndex("IX_AspNetUserPasskeys_UserId", "AspNetUserPasskeys", "UserId");
        m.CreateIndex("IX_AspNetUserRoles_RoleId", "AspNetUserRoles", "RoleId");
        m.CreateIndex("EmailIndex", "AspNetUsers", "NormalizedEmail");
        m.CreateIndex("UserNameIndex", "AspNetUsers", "NormalizedUserName", unique: true);
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder m)
    {
        foreach (var table in new[]
                 {
                     "AspNetUserTokens", "AspNetUserRoles", "AspNetUserPasskeys", "AspNetUserLogins", "AspNetUserClaims",
                     "AspNetRoleClaims", "AspNetUsers", "AspNetRoles", "DataProtectionKeys", "AdminAudit", "ApiClients",
                     "ComponentSubscribers", "History", "XmppResources", "ProtocolStatuses", "Users",
                 })
        {
            m.DropTable(table);
        }
    }

    private static OperationBuilder<AddColumnOperation> Identity(OperationBuilder<AddColumnOperation> column) =>
        column.Annotation(SqliteAutoincrement, true).Annotation(NpgsqlStrategy, NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);
}
