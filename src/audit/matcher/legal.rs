//! Legal authorities: court decisions, statutes and official papers, which
//! by the conventions of legal writing (OSCOLA, Bluebook, AGLC, McGill, the
//! German Zitierweise, and the civil-law traditions) are cited in notes but
//! not listed in the bibliography. A reference recognised here is its own
//! outcome (`legal`), never an `unknown-source`, unless the bibliography
//! itself lists cases or legislation.

use std::sync::LazyLock;

use regex::Regex;

/// What kind of legal authority a reference is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Authority {
    /// A court decision.
    Case,
    /// A statute, code, constitution, treaty or regulation, or a provision
    /// of one.
    Legislation,
    /// A parliamentary or government paper.
    Official,
}

impl Authority {
    /// The Hayagriva entry type for a draft entry.
    pub fn entry_type(self) -> &'static str {
        match self {
            Authority::Case => "case",
            Authority::Legislation => "legislation",
            Authority::Official => "report",
        }
    }
}

/// The kind of legal authority `text` (one reference) cites, if it is one.
pub fn authority(text: &str) -> Option<Authority> {
    let text = text.trim();
    if CASE.is_match(text) {
        return Some(Authority::Case);
    }
    if LEGISLATION.is_match(text) {
        return Some(Authority::Legislation);
    }
    if OFFICIAL.is_match(text) {
        return Some(Authority::Official);
    }
    None
}

/// Court decisions: `A v B` / `A v. B` with a report or a year; courts and
/// their docket numbers (`BGH, Urteil vom 25.02.2014, VI ZR 299/13`, `BVerfGE
/// 7, 198`, `HR 13 maart 1981`, `NJA 1991 s. 217`, `Rt. 1995 s. 530`,
/// `C-131/12`), ECLI identifiers and the law reports (`[1932] AC 562`,
/// `410 U.S. 113`, `(1992) 175 CLR 1`, `[1986] 1 SCR 103`, `NJW 2005,
/// 1234`).
static CASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        // A v B, with a report, a year or a neutral citation after.
        r"(?:\p{Lu}[\p{L}'’.&\- ]{0,60}\sv\.?\s\p{Lu}[\p{L}'’.&\-\[\] 0-9]{0,60}",
        r"(?:[,]?\s*(?:\[\d{4}\]|\(\d{4}\)|\d{1,4}\s(?:U\.S\.|S\.\s?Ct\.|F\.\s?(?:2d|3d|4th|Supp\.)|AC|QB|KB|Ch|WLR|All ER|CLR|SCR|DLR|UKHL|UKSC|EWCA|HCA)))",
        r"|(?:\p{Lu}[\p{L}.]*\sv\.?\s\p{Lu}[\p{L}.]*$))",
        // A short form of a US case: `Roe, 410 U.S. at 155`.
        r"|\b\d{1,4}\s(?:U\.S\.|S\.\s?Ct\.|F\.\s?(?:2d|3d|4th)|F\.\s?Supp\.(?:\s?(?:2d|3d))?|L\.\s?Ed\.(?:\s?2d)?)\s(?:at\s)?\d",
        // ECLI and European case numbers.
        r"|ECLI:[A-Z]{2}:",
        r"|\b[CT]-\d{1,4}/\d{2}\b",
        // Courts, German, Austrian, Swiss, Dutch, Nordic, French, Italian,
        // Spanish, Portuguese, Brazilian, European.
        r"|^(?:BGH|BVerfG|BVerwG|BAG|BSG|BFH|OLG|LG|AG|VG|OVG|VGH|LAG|OGH|VfGH|VwGH|BGer|HR|Hof|Rb\.|NJA|Rt\.|HD|UfR|U\.f\.R\.|KKO|KHO|Cass\.|Cour de cassation|CE|Conseil d'État|CC|Corte cost\.|Cass\. civ\.|TS|STS|TC|STF|STJ|TJ\p{Lu}{2}|EuGH|EGMR|ECJ|CJEU|ECtHR|EuG|ECHR|SN|TK|NSA|ÚS|NS|Kúria|Yargıtay|AYM|Danıştay)(?:[,\s]|$)",
        // Decisions and their dates or dockets.
        r"|\b(?:Urteil|Beschluss|Beschl\.|Urt\.|arrêt|sentenza|sentencia|acórdão|wyrok|uchwała|rozsudek|ítélet|karar)\s(?:vom|v\.|du|del|de|z dnia|ze dne|n\.)\s",
        r"|\b[IVX]{1,4}\s?(?:ZR|ZB|StR|ARs|AZR|R)\s\d+/\d{2}\b",
        r"|\b\d\s?BvR\s\d+/\d{2}\b",
        // Law reports and official collections.
        r"|\b(?:BGHZ|BGHSt|BVerfGE|BVerwGE|BAGE|NJ|RvdW|Arr\.|Bull\. civ\.|Rec\.|Slg\.|ECR|EWHC|EWCA|UKHL|UKSC|UKPC|AC|QB|KB|WLR|All ER|U\.S\.|S\. Ct\.|L\. Ed\.|F\.\d?d|F\. Supp\.|CLR|SCR|DLR|HCA|FCA|RJ|RT|RSTJ|RTJ|OSN|OSNC|BH|Yargıtay Kararları)\b\s?\d",
        r"|\[\d{4}\]\s(?:\d+\s)?(?:AC|QB|KB|Ch|WLR|All ER|UKHL|UKSC|UKPC|EWCA|EWHC|SCR|HCA|FCA|ECR|CMLR|IRLR|ICR|Fam|Lloyd's Rep|NZLR|IR|ILRM|SC|SLT|SC \(HL\))\b",
    ))
    .expect("valid regex")
});

/// Statutes and their provisions: `§ 823 Abs. 1 BGB`, `Art. 2 GG`, `s 3
/// Human Rights Act 1998`, `Human Rights Act 1998, s 3`, `42 U.S.C. § 1983`,
/// `Ustawa z dnia …`, `Zákon č. 89/2012 Sb.`, `Lov 17. juli 1998 nr. 61`,
/// `törvénycikk`, `Anayasası`, `Constituição`, `Конституция`, `ПСЗ`,
/// `Dz.U.`, `BGBl.`, `OJ L`, `憲法第55条`, `제4조`.
static LEGISLATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:Art\.|Artt?\.|Artikel|Article|art\.|§+)\s?\d+(?:[:.]\d+)*[a-z]?(?:\s|,|$)",
        r"|(?:§+|Art\.|art\.)\s?\d+[a-z]?(?:\s(?:Abs\.|Satz|S\.|Nr\.|lit\.|par\.|al\.|ust\.|odst\.|bekezdés|ods\.)\s?\d+)*\s(?:BGB|StGB|ZPO|StPO|GG|HGB|AktG|GmbHG|UWG|VwVfG|VwGO|SGB|EStG|UStG|InsO|FamFG|ABGB|ZGB|OR|StGB|B-VG|EMRK|AEUV|EUV|GRCh|DSGVO|BDSG|UrhG|PatG|MarkenG|KWG|WpHG|BauGB|BetrVG|KSchG|TVG|ArbGG|c\.c\.|c\.p\.|C\. civ\.|Cc|CC|KC|k\.c\.|k\.k\.|OZ|Ptk\.|TMK|TBK|ГК|УК|ГК РФ|EStG|BW|Sr|Sv|Rv|Awb|Wft|WvK)\b",
        r"|\b(?:Act|Acts|Ordinance|Regulations?|Directive|Statute|Code|Constitution)\b[^,;]{0,40}\b\d{4}\b",
        r"|\b\d{4}\s(?:Act|Ordinance)\b",
        r"|\b\d{1,3}\sU\.S\.C\.",
        r"|\b\d{1,3}\sC\.F\.R\.",
        r"|\bPub\.\sL\.",
        r"|\bStat\.\s\d",
        // A jurisdiction before the act, as ABNT writes it: `BRASIL. Lei n. …`.
        r"|^\p{Lu}{3,}(?:\s\p{Lu}{2,})*\.\s(?:Lei|Decreto|Decreto-Lei|Medida Provisória|Constituição|Código|Emenda Constitucional|Ley|Real Decreto)\b",
        r"|^(?:\d{4}\s)?(?:Kanun-ı Esasi|Teşkilât-ı Esasiye)",
        r"|^(?:Ustawa|Rozporządzenie|Zákon|Zákonník|Vyhláška|Nařízení|Lov|Lag|Forordning|Loi|Décret|Legge|Decreto|Ley|Real Decreto|Lei|Decreto-Lei|Gesetz|Verordnung|Bundesgesetz|Wet|Besluit|Kanun|Yasa|Закон|Указ|Постановление|Федеральный закон|Общее положение|Положение|Уложение|Устав)\b",
        r"|\b(?:törvény|törvénycikk|tv\.|rendelet|Anayasası|Anayasa|Kanunu|Constituição|Constitución|Costituzione|Grundgesetz|Verfassung|Grondwet|Konstytucja|Ústava|Alaptörvény|Конституци\p{L}+|Grunnloven|Regeringsformen)\b",
        r"|\b(?:BGBl\.|RGBl\.|Dz\.\s?U\.|Sb\.|Stb\.|SFS|Lovtidend|JORF|G\.U\.|GU|BOE|D\.O\.U\.|DOU|R\.G\.|Resmî Gazete|ПСЗ|СЗ РФ|O\.J\.|OJ\s[LC])\s?",
        r"|\p{Han}*(?:憲法|民法|刑法|商法|法律|条例|規則|法)第\d+条",
        r"|제\d+조",
        r"|\b(?:법률|제령|대통령령|조령)\s?제\d+호",
        r"|「[^」]*(?:령|법|법률|조약)」",
    ))
    .expect("valid regex")
});

/// Parliamentary and government papers: `BT-Drs. 19/1234`, `HC Deb 12 May
/// 2000, vol 349, col 12`, `Cm 4321`, `Kamerstukken II`, `Prop.`, `SOU`.
static OFFICIAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:BT-Drs\.|BT-Drucks\.|BR-Drs\.|Drucksache|HC Deb|HL Deb|Cm\s\d|Cmnd\s\d|Kamerstukken|Handelingen|Prop\.\s\d{4}|SOU\s\d{4}|NOU\s\d{4}|Ot\.prp\.|Doc\.\s[A-Z]|COM\(\d{4}\))",
    )
    .expect("valid regex")
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_statutes_and_papers_in_many_traditions() {
        for (text, kind) in [
            (
                "Donoghue v Stevenson [1932] AC 562 (HL) 580",
                Authority::Case,
            ),
            ("Roe v. Wade, 410 U.S. 113, 153 (1973)", Authority::Case),
            (
                "Mabo v Queensland [No 2] (1992) 175 CLR 1, 42",
                Authority::Case,
            ),
            ("R v Oakes, [1986] 1 SCR 103 at 138", Authority::Case),
            (
                "BGH, Urteil vom 25.02.2014, VI ZR 299/13, Rn 8",
                Authority::Case,
            ),
            ("BVerfGE 7, 198 (205)", Authority::Case),
            ("BGH, NJW 2005, 1234 (1236)", Authority::Case),
            (
                "HR 13 maart 1981, ECLI:NL:HR:1981:AG4158, NJ 1981/635",
                Authority::Case,
            ),
            ("NJA 1991 s. 217", Authority::Case),
            ("Rt. 1995 s. 530 (på s. 537)", Authority::Case),
            ("EuGH, Rs. C-131/12, Google Spain", Authority::Case),
            ("§ 823 Abs. 1 BGB", Authority::Legislation),
            ("Art. 2 Abs. 1 GG", Authority::Legislation),
            ("Human Rights Act 1998, s 3", Authority::Legislation),
            ("42 U.S.C. § 1983", Authority::Legislation),
            (
                "Ustawa z dnia 23 kwietnia 1964 r. – Kodeks cywilny (Dz.U. 1964 nr 16, poz. 93), art. 415",
                Authority::Legislation,
            ),
            (
                "Zákon č. 89/2012 Sb., občanský zákoník, § 2910",
                Authority::Legislation,
            ),
            (
                "Lov 17. juli 1998 nr. 61 om grunnskolen",
                Authority::Legislation,
            ),
            ("Az 1848. évi III. törvénycikk", Authority::Legislation),
            (
                "1924 Anayasası (Teşkilât-ı Esasiye Kanunu), m. 2",
                Authority::Legislation,
            ),
            ("大日本帝国憲法第55条", Authority::Legislation),
            (
                "「조선토지조사령」(제령 제2호, 1912. 8. 13.) 제4조",
                Authority::Legislation,
            ),
            ("BT-Drs. 19/1234, S. 5", Authority::Official),
            ("Art. 6:248 lid 2 BW", Authority::Legislation),
            ("1876 Kanun-ı Esasi, m. 113", Authority::Legislation),
            (
                "BRASIL. Lei n. 3.353, de 13 de maio de 1888",
                Authority::Legislation,
            ),
        ] {
            assert_eq!(authority(text), Some(kind), "{text}");
        }
    }

    #[test]
    fn books_and_articles_are_not() {
        for text in [
            "Medicus/Petersen, Bürgerliches Recht, 27. Aufl. 2019, Rn. 200",
            "Tom Bingham, The Rule of Law (Allen Lane 2010) 37",
            "Teiwes, China's Road to Disaster, 85",
            "Larenz, Methodenlehre der Rechtswissenschaft, 6. Aufl. 1991, S. 312",
            "Paul Craig, 'Formal and Substantive Conceptions of the Rule of Law' [1997] PL 467, 469",
            "Samuel D. Warren & Louis D. Brandeis, The Right to Privacy, 4 Harv. L. Rev. 193, 195 (1890)",
            "Canaris, JZ 1993, 649 (650)",
            "Peter W Hogg, Constitutional Law of Canada, 5th ed (Toronto: Carswell, 2007) at 45",
        ] {
            assert_eq!(authority(text), None, "{text}");
        }
    }
}
