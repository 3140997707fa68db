"""The demo's organisations, partners, speakers and contact persons in English."""

from forum.choices import ContactPurpose, OrganisationKind, OrganisationRole

ORGANISATIONS = [
    # name, short name, kind, country
    ("ASEAN-Korea Centre", "AKC", OrganisationKind.INTERNATIONAL, "KR"),
    ("International Contractors Association of Korea", "ICAK", OrganisationKind.ASSOCIATION, "KR"),
    (
        "Ministry of Foreign Affairs of the Republic of Korea",
        "MOFA",
        OrganisationKind.GOVERNMENT,
        "KR",
    ),
    ("ASEAN Secretariat", "ASEC", OrganisationKind.INTERNATIONAL, "ID"),
    (
        "United Nations Economic and Social Commission for Asia and the Pacific",
        "UN-ESCAP",
        OrganisationKind.INTERNATIONAL,
        "TH",
    ),
    (
        "Multilateral Investment Guarantee Agency, Korea Office",
        "MIGA Korea",
        OrganisationKind.FINANCIAL,
        "KR",
    ),
    ("Export-Import Bank of Korea", "KEXIM", OrganisationKind.FINANCIAL, "KR"),
    ("ASEAN-ROK Programme Management Team", "AKPMT", OrganisationKind.INTERNATIONAL, "ID"),
    (
        "Permanent Mission of the Kingdom of Cambodia to ASEAN",
        "",
        OrganisationKind.GOVERNMENT,
        "KH",
    ),
]

PARTNERS = [
    ("ASEAN-Korea Centre", OrganisationRole.ORGANISER),
    ("International Contractors Association of Korea", OrganisationRole.CO_HOST),
    ("Ministry of Foreign Affairs of the Republic of Korea", OrganisationRole.SUPPORTER),
    ("ASEAN Secretariat", OrganisationRole.SUPPORTER),
]

SPEAKERS = [
    # slug, honorific, name, position, organisation, country, name announced
    (
        "kim-hae-yong",
        "",
        "Kim Hae-yong",
        "Secretary General",
        "ASEAN-Korea Centre",
        "KR",
        True,
    ),
    (
        "lee-seong-ho",
        "H.E.",
        "Lee Seong-ho",
        "Deputy Minister for Economic Affairs",
        "Ministry of Foreign Affairs of the Republic of Korea",
        "KR",
        True,
    ),
    (
        "yeap-samnang",
        "H.E.",
        "Yeap Samnang",
        "Chair of the ASEAN Connectivity Coordinating Committee; Permanent Representative to ASEAN",
        "Permanent Mission of the Kingdom of Cambodia to ASEAN",
        "KH",
        True,
    ),
    # The announcement names the panel's organisations, not its speakers.
    (
        "asean-secretariat-speaker",
        "",
        "ASEAN Secretariat speaker",
        "",
        "ASEAN Secretariat",
        "",
        False,
    ),
    (
        "un-escap-speaker",
        "",
        "UN-ESCAP speaker",
        "",
        "United Nations Economic and Social Commission for Asia and the Pacific",
        "",
        False,
    ),
    (
        "miga-korea-speaker",
        "",
        "MIGA Korea Office speaker",
        "",
        "Multilateral Investment Guarantee Agency, Korea Office",
        "",
        False,
    ),
    (
        "kexim-speaker",
        "",
        "Export-Import Bank of Korea speaker",
        "",
        "Export-Import Bank of Korea",
        "",
        False,
    ),
    (
        "akpmt-speaker",
        "",
        "AKPMT speaker",
        "",
        "ASEAN-ROK Programme Management Team",
        "",
        False,
    ),
]


CONTACTS = [
    (
        ContactPurpose.CONTENTS,
        "Kim Su-jung",
        "Senior Officer",
        "TIU",
        "+82-2-2287-1192",
        "sjkim@aseankorea.org",
    ),
    (
        ContactPurpose.PRESS,
        "Bak Chae-rin",
        "PR Officer",
        "IDU",
        "+82-2-2287-1146",
        "crbak@aseankorea.org",
    ),
]
