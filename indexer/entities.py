"""The people, organisations and places an article names.

No German NER model can be had here, so this is a gazetteer plus rules:

1. gazetteer names, longest first, case-sensitive (``Grüne`` the party,
   not ``grüne`` the colour), in declined forms (``der Europäischen Union``,
   ``Putins``, ``Scholz'``, ``des Bundestags``), also as the part of a
   hyphenated compound (``Ukraine-Krieg``, ``CDU-Chef``);
2. a role noun followed by a name (``Verteidigungsminister Rustem Umjerow``,
   ``Präsidentin Maia Sandu``);
3. a known given name followed by a family name (``Serhij Suchomlyn``);
4. a family name alone is the person of that name the article names in
   full, else the one gazetteer person of that name, unless the name is
   also an ordinary word;
5. ``Region``, ``Stadt``, ``Provinz`` ... followed by a name is a place;
6. a closed compound led by an organisation names it (``Kremlchef``);
7. in an article about Switzerland or Austria, names that several countries
   use (``Bundesrat``, ``Nationalrat``, ``Grüne``, ``FDP``) are that country's;
8. organisations by their form: ministries (``Gesundheitsministerium``),
   chambers (``Arbeiterkammer``), federal offices (``Bundeskartellamt``), an
   authority or court with its town (``Staatsanwaltschaft Wien``), clubs
   (``FC Ingolstadt``), and a name after a noun that says what it names
   (``Elektronikhersteller Samsung``, ``Nachrichtenagentur Anadolu``,
   ``Tageszeitung Österreich``, ``Gewerkschaft Verdi``);
9. persons by their context: a name after a speech verb (``sagte Kaeser``,
   ``, so Faymann``), after a nationality (``den Spanier Rafael Nadal``), in a
   closing credit (``(Ljubiša Tošic, 22.3.2016)``); names with particles and
   other naming systems (``Maggie De Block``, ``Abdel Fattah al-Sisi``,
   ``Mohammed bin Salman``, ``Christopher B. Landon``) are read whole;
10. the dateline of an agency-style report (``Pregarten – ``,
    ``Wien/Graz/Aurora – ``) names places.

German capitalises every noun, so rules 2, 3 and 5 only accept a word as a
name when it is rare as an ordinary word and does not end like a noun.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from indexer.decompound import STOP_WORDS, split_compound, zipf
from indexer.gazetteer import (
    FIELD_OF_TYPE, TOKEN, Entry, Gazetteer, load_gazetteer, plain, surname_of,
)

SENTENCE_OPENERS = frozenset({".", "!", "?", ":", "–", "—", "-", "(", "\"", "„", "“", "”", "«",
                              "»", "'", "‘", ";", "•", "*"})  # the word after may be any word
SENTENCE_END = {".", "!", "?", ":", "«", "»", "\"", "„", "“"}

ROLE_SUFFIXES = (
    "präsident", "präsidentin", "kanzler", "kanzlerin", "minister", "ministerin", "meister",
    "meisterin", "chef", "chefin", "vorsitzende", "vorsitzender", "sprecher", "sprecherin",
    "sekretär", "sekretärin", "abgeordnete", "abgeordneter", "senator", "senatorin",
    "gouverneur", "gouverneurin", "könig", "königin", "botschafter", "botschafterin",
    "richter", "richterin", "kommissar", "kommissarin", "general", "admiral", "kommandeur",
    "befehlshaber", "politiker", "politikerin", "aktivist", "aktivistin", "anwalt", "anwältin",
    "kandidat", "kandidatin", "herausforderer", "herausforderin", "diktator", "machthaber",
    "regierungschef", "staatschef", "hauptmann", "hauptfrau", "führer", "führerin",
    "gründer", "gründerin", "unternehmer", "unternehmerin", "milliardär", "papst", "prinz",
    "prinzessin", "beauftragte", "beauftragter", "vize", "bundesrat", "bundesrätin",
    "staatsrat", "ökonom", "ökonomin", "experte", "expertin", "journalist", "journalistin",
    "oberst", "leutnant", "autor", "autorin", "sänger", "sängerin", "ministerpräsident",
    "ministerpräsidentin", "landrat", "landrätin", "stadtrat", "stadträtin",
    # beyond politics: sport, culture, science, business, church, the courts
    "trainer", "trainerin", "coach", "cheftrainer", "spieler", "spielerin", "stürmer",
    "stürmerin", "verteidiger", "verteidigerin", "torhüter", "torhüterin", "keeper", "goalie",
    "leiter", "leiterin", "ethiker", "ethikerin", "theoretiker", "theoretikerin", "dissident",
    "dissidentin",
    "tormann", "torschütze", "torschützin", "kapitän", "kapitänin", "profi", "spielmacher",
    "regisseur", "regisseurin",
    "schauspieler", "schauspielerin", "künstler", "künstlerin", "komponist", "komponistin",
    "pianist", "pianistin", "musiker", "musikerin", "dirigent", "dirigentin", "schriftsteller",
    "schriftstellerin", "fotograf", "fotografin", "architekt", "architektin", "designer",
    "designerin", "moderator", "moderatorin", "reporter", "reporterin", "korrespondent",
    "korrespondentin", "direktor", "direktorin", "rektor", "rektorin", "dekan", "dekanin",
    "professor", "professorin", "forscher", "forscherin", "wissenschafter", "wissenschafterin",
    "wissenschaftler", "wissenschaftlerin", "psychologe", "psychologin", "historiker",
    "historikerin", "soziologe", "soziologin", "politologe", "politologin", "analyst",
    "analystin", "ingenieur", "ingenieurin", "geschäftsführer", "geschäftsführerin", "manager",
    "managerin", "vorstand", "obmann", "obfrau", "bischof", "kardinal", "pfarrer", "rabbiner",
    "imam", "landesrätin", "bezirksvorsteher", "bezirksvorsteherin", "staatsanwalt",
    "staatsanwältin", "gewerkschafter", "gewerkschafterin", "philosoph", "philosophin",
    "dichter", "dichterin", "kurator", "kuratorin", "intendant", "intendantin", "kommandant",
    "kommandantin", "expremier", "premierministerin", "schiedsrichter",
    "premier", "premierminister", "produzent", "produzentin", "kameramann", "komiker",
    "komikerin", "kabarettist", "kabarettistin", "satiriker", "rapper", "rapperin", "tänzer",
    "tänzerin", "choreograf", "choreografin", "maler", "malerin", "bildhauer", "bildhauerin",
    "zeichner", "zeichnerin", "karikaturist", "sportler", "sportlerin", "athlet", "athletin",
    "läufer", "läuferin", "fahrer", "fahrerin", "springer", "springerin", "schwimmer",
    "schwimmerin", "boxer", "boxerin", "golfer", "golferin", "olympiasieger",
    "olympiasiegerin", "legionär", "mittelfeldmann", "chefredakteur", "chefredakteurin",
    "redakteur", "redakteurin", "herausgeber", "herausgeberin", "verleger", "verlegerin",
    "kolumnist", "kolumnistin", "kritiker", "kritikerin", "ermittler", "ermittlerin",
    "arzt", "ärztin", "mediziner", "medizinerin", "chirurg", "chirurgin", "virologe",
    "virologin", "epidemiologe", "epidemiologin", "biologe", "biologin", "physiker",
    "physikerin", "chemiker", "chemikerin", "jurist", "juristin", "diplomat", "diplomatin",
    "unterhändler", "unterhändlerin", "funktionär", "funktionärin", "mandatar", "mandatarin",
    "hauptfrau", "stadtpräsident", "stadtpräsidentin", "gemeinderat", "gemeinderätin",
    "regierungsrat", "regierungsrätin", "nationalrätin", "ständerätin", "kommentator",
    "kommentatorin", "berater", "beraterin", "therapeut", "therapeutin", "nuntius", "propst",
    "probst", "superintendent", "superintendentin", "abt", "äbtissin", "vikar", "pastor",
    "pastorin", "pfarrerin", "rabbinerin", "bischöfin", "investor", "investorin", "banker",
    "bankerin", "bankier", "witwe", "ehefrau", "ehemann", "influencer", "influencerin",
    "youtuber", "youtuberin", "model", "popstar", "superstar", "filmstar", "quarterback",
    "frau", "herr",  # "Frau Merkel", "Herrn Van der Bellen"
    "blogger", "bloggerin", "geiger", "geigerin", "cellist", "cellistin", "organist",
    "organistin", "sopranistin", "tenor", "bariton", "gitarrist", "gitarristin", "bassist",
    "bassistin", "schlagzeuger", "schlagzeugerin", "liedermacher", "liedermacherin",
    # rulers and kin: "Sultan Qabus", "Pharao Tutanchamun", "sein Halbbruder Haitham" (no
    # "tochter": "Konzerntochter Zielpunkt"; no "enkel": "Henkel")
    "sultan", "emir", "scheich", "pharao", "kalif", "schah", "zar", "zarin", "herrscher",
    "herrscherin", "monarch", "monarchin", "fürst", "fürstin", "herzog", "herzogin",
    "bruder", "schwester", "sohn", "cousin", "cousine", "onkel", "tante", "neffe",
    "nichte", "enkelin", "schwager", "schwägerin", "gattin", "witwer",
    "lebensgefährte", "lebensgefährtin", "archäologe", "archäologin", "genetiker",
    "genetikerin", "winzer", "winzerin", "weinbauer", "bäuerin", "polizist",
    "polizistin", "beamter", "beamtin", "entwicklerin", "segler", "seglerin",
)
TITLES = {"König", "Königin", "Papst", "Queen", "King", "Kaiser", "Prinz", "Prinzessin",
          "Kronprinz", "Scheich", "Emir", "Sultan", "Dr.", "Prof.", "Sir", "Lord", "Lady",
          "Kardinal", "Bischof", "Erzbischof", "Ayatollah", "Imam", "Rabbi"}
ABBREVIATED_TITLES = {"Dr", "Prof", "Mag", "Ing", "DI", "Dipl"}  # written with a full stop
PLACE_NOUNS = {"Region", "Stadt", "Provinz", "Gebiet", "Oblast", "Bundesstaat", "Kanton",
               "Gemeinde", "Ortschaft", "Dorf", "Bezirk", "Landkreis", "Kreis", "Hafenstadt",
               "Großstadt", "Kleinstadt", "Hauptstadt", "Grenzstadt", "Frontstadt", "Stadtteil",
               "Metropole", "Millionenmetropole", "Landeshauptstadt", "Marktgemeinde", "Insel",
               "Exklave", "Küstenstadt", "Provinzhauptstadt", "Bezirkshauptstadt", "Ort",
               "Ortsteil", "Vorort", "Distrikt", "Department", "Bergdorf", "Kurort",
               "Städtchen", "Dörfchen", "Grenzort", "Badeort", "Urlaubsort",
               "Wintersportort", "Skiort", "Stadtgemeinde", "Bezirkshauptstadt", "Kreisstadt",
               "Gouvernement", "Präfektur", "Governorat", "Emirat", "Bundesland", "Halbinsel",
               "Inselgruppe", "Atoll", "Tal", "Fluss", "Nebenfluss", "Stausee", "Departement",
               "Département", "Nachbarort", "Heimatort", "Wohnort", "Geburtsort", "Küstenort",
               "Ferienort", "Bergort", "Weinort", "Grenzdorf", "Bundesstaats", "Bezirks",
               "Departements", "Kantons", "Distrikts", "Landkreises", "Kreises", "Gouvernements",
               "Ortes", "Dorfes", "Flusses", "Tals", "Ortsteils", "Stadtteils"}
PARTICLES = frozenset({"von", "van", "de", "der", "den", "da", "di", "del", "della", "dos", "das",
                       "du", "le", "la", "bin", "ibn", "bint", "al", "el", "ter", "ten", "zu",
                       "vom", "Van", "De", "Della", "Del", "Di", "Da", "Dos", "Du", "Le", "La",
                       "El", "Al", "Ter", "Ten", "Bin", "Ibn"})
TRAILING_PARTICLES = frozenset({"bin", "ibn", "bint", "al", "el", "dos", "da", "de", "del",
                                "della", "di", "du"})  # may follow a family name: bin Salman
SPEECH_VERBS = frozenset({
    "sagte", "sagt", "meinte", "meint", "erklärte", "erklärt", "betonte", "betont", "schrieb",
    "schreibt", "kritisierte", "kritisiert", "forderte", "fordert", "warnte", "warnt",
    "ergänzte", "ergänzt", "berichtete", "berichtet", "bestätigte", "bestätigt", "beklagte",
    "beklagt", "konterte", "kontert", "widersprach", "räumte", "twitterte", "verkündete",
    "erläuterte", "erläutert", "argumentierte", "argumentiert", "versicherte", "sagten",
    "so"})  # "so" only after a comma: ", so Faymann"
SPEECH_ADVERBS = frozenset({"etwa", "auch", "dazu", "nun", "jetzt", "zudem", "damals",
                            "daraufhin", "dann", "gestern", "heute"})  # "sagt etwa X"
QUANTIFIERS = frozenset({"zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun",
                         "zehn", "zwölf", "zwanzig", "hundert", "hunderte", "tausend",
                         "tausende", "dutzend", "dutzende", "mehrere", "einige", "viele",
                         "zahlreiche", "wenige", "etliche", "manche", "mehreren", "einigen", "vielen", "zahlreichen"})
# nationalities before a name ("den Spanier Rafael Nadal"), with their "-n" forms
DEMONYMS = frozenset(f"{stem}{end}" for stem in """
Franzose Spanier Italiener Deutsche Österreicher Schweizer Brite Engländer Schotte Ire
Amerikaner US-Amerikaner Kanadier Mexikaner Brasilianer Argentinier Kolumbianer Chilene
Australier Russe Ukrainer Pole Tscheche Slowake Ungar Slowene Kroate Serbe Bosnier
Montenegriner Albaner Mazedonier Bulgare Rumäne Grieche Türke Belgier Niederländer Holländer
Luxemburger Däne Schwede Norweger Finne Isländer Portugiese Japaner Chinese Koreaner
Südkoreaner Inder Pakistaner Afghane Iraner Iraker Syrer Palästinenser Ägypter Marokkaner
Algerier Tunesier Libyer Nigerianer Kenianer Äthiopier Südafrikaner Georgier Armenier Usbeke
Kasache Weißrusse Belarusse Litauer Lette Este Zyprer Niederösterreicher Oberösterreicher
Steirer Kärntner Tiroler Vorarlberger Burgenländer Salzburger Wiener
""".split() for end in ("", "n")) | frozenset("""
Israeli Slowenin Kroatin Serbin Russin Französin Spanierin Italienerin Amerikanerin Britin
Schwedin Österreicherin Deutschen Deutscher Israelis Französinnen Deutsche
""".split()) | frozenset(  # the women: "die Inderin Sania Mirza", "die Steirerin", "Türkin"
    f"{stem[:-1] if stem.endswith('e') else stem}in" for stem in """
Spanier Italiener Österreicher Schweizer Brite Engländer Schotte Ire Amerikaner US-Amerikaner
Kanadier Mexikaner Brasilianer Argentinier Kolumbianer Chilene Australier Russe Ukrainer Pole
Tscheche Slowake Ungar Slowene Kroate Serbe Bosnier Montenegriner Albaner Mazedonier Bulgare
Rumäne Grieche Türke Belgier Niederländer Holländer Luxemburger Däne Schwede Norweger Finne
Isländer Portugiese Japaner Chinese Koreaner Südkoreaner Inder Pakistaner Afghane Iraner
Iraker Syrer Palästinenser Ägypter Marokkaner Algerier Tunesier Libyer Nigerianer Kenianer
Äthiopier Südafrikaner Georgier Armenier Usbeke Kasache Weißrusse Belarusse Litauer Lette
Este Zyprer Niederösterreicher Oberösterreicher Steirer Kärntner Tiroler Vorarlberger
Burgenländer Salzburger Wiener""".split())
# a noun that says what kind of organisation the name after it is ("Gewerkschaft Verdi")
ORG_HEAD_SUFFIXES = (
    "hersteller", "konzern", "unternehmen", "firma", "zulieferer", "fluggesellschaft",
    "airline", "handelskette", "supermarktkette", "kette", "bank", "versicherer", "sender",
    "nachrichtenagentur", "agentur", "zeitung", "magazin", "zeitschrift", "blatt", "portal",
    "plattform", "streamingdienst", "gewerkschaft", "organisation", "partei", "verband",
    "verein", "klub", "club", "publisher", "entwickler", "vermarkter", "anbieter", "startup",
    "start-up", "institut", "stiftung", "kollektiv", "netzwerk", "bündnis", "miliz",
    "bewegung", "händler", "betreiber", "autobauer", "mobilfunker", "reederei", "brauerei",
    "holding", "studio", "label", "fonds", "fachblatt", "journal", "think-tank", "denkfabrik",
    "thinktank", "hilfswerk", "initiative", "dienst", "suchmaschine", "verlag", "discounter",
    "diskonter", "gesellschaft", "genossenschaft", "versicherung", "versorger", "provider",
    "vereinigung", "rennstall", "band", "gruppe", "marktforscher", "onlinehändler",
    "modekette", "sparkasse", "investmentfirma", "beratungsfirma", "kanzlei", "dienstleister",
    "bankhaus", "finanzinvestor", "behörde", "konsortium")
# the plural of such a noun before a list: "die Gläubigerschutzverbände Creditreform und KSV"
ORG_HEAD_PLURALS = ("verbände", "konzerne", "firmen", "banken", "zeitungen", "parteien",
                    "gewerkschaften", "organisationen", "agenturen", "ketten", "plattformen",
                    "portale", "vereine", "stiftungen", "institute", "netzwerke", "behörden",
                    "versicherer", "brauereien", "verlage", "fluggesellschaften")
MEDIA_HEAD_SUFFIXES = ("zeitung", "magazin", "zeitschrift", "blatt", "sender", "journal",
                       "agentur", "portal")
LEGAL_FORMS = frozenset({"AG", "GmbH", "SE", "Inc", "Corp", "Ltd", "plc", "KG", "Co", "SA",
                         "NV", "LLC", "Holding"})
CLUB_PREFIXES = frozenset({"FC", "SV", "SK", "SC", "VfL", "VfB", "TSV", "TSG", "FK", "AC", "AS",
                           "SSC", "BSC", "KSV", "ASK", "SKN", "SCR", "EHC", "TuS",
                           # abroad: "Dinamo Moskau", "Hellas Verona", "MFK Ruzomberok"
                           "MFK", "NK", "HNK", "GNK", "RSC", "KRC", "PSV", "RCD", "OGC", "SSV",
                           "IFK", "AIK", "HJK", "AEK", "PAOK", "Dinamo", "Dynamo", "Lokomotiv",
                           "Lokomotive", "Spartak", "Zenit", "Slavia", "Legia", "Partizan",
                           "Steaua", "Hellas", "Olympique", "Sporting", "Atlético"})
# Institutions that name one body when a town follows: "Staatsanwaltschaft Wien"
INSTITUTIONS_WITH_TOWN = frozenset({
    "Staatsanwaltschaft", "Landesgericht", "Oberlandesgericht", "Amtsgericht", "Landgericht",
    "Bezirksgericht", "Verwaltungsgericht", "Oberverwaltungsgericht", "Arbeitsgericht",
    "Sozialgericht", "Landespolizeidirektion", "Polizeidirektion", "Universität", "Uni",
    "Bezirkshauptmannschaft", "Magistrat", "Stadtwerke", "Landesregierung", "Stadtregierung",
    "Handelsgericht", "Straflandesgericht", "Jugendgericht", "Schwurgericht", "Polizei",
    "Landeskriminalamt", "Ärztekammer", "Arbeiterkammer", "Wirtschaftskammer", "Caritas",
    "AKH", "Krankenhaus", "Unfallkrankenhaus", "Landeskrankenhaus", "LKH", "Klinikum",
    "Landesklinikum", "Spital", "Kantonsspital", "Universitätsspital", "Universitätsklinikum",
    "Hochschule", "Fachhochschule", "FH", "Akademie", "Filmakademie", "Kunstuniversität",
    "Musikuniversität", "Medizinuniversität", "Diözese", "Erzdiözese", "Landesschulrat",
    "Stadtschulrat", "Landesverwaltungsgericht", "Gebietskrankenkasse", "Sparkasse",
    "Raiffeisenlandesbank", "Hypo", "Landesmuseum", "Museum", "Staatsoper", "Landestheater",
    "Stadttheater", "Landtag", "Gemeinderat", "Militärkommando", "Landesrechnungshof",
    "Landesschulrat", "Bildungsdirektion", "Landesverwaltungsgericht"})
# Kinds of organisation a noun ends in, with the noun's gender, for names of an adjective
# written capitalised inside a sentence and such a noun: "der Österreichischen
# Hagelversicherung" -> "Österreichische Hagelversicherung", "Österreichischer Bauernbund"
KIND_GENDERS = (
    ("versicherung", "f"), ("regierung", "f"), ("kanzlei", "f"), ("armee", "f"),
    ("kirche", "f"), ("akademie", "f"), ("partei", "f"), ("gewerkschaft", "f"),
    ("gesellschaft", "f"), ("vereinigung", "f"), ("bewegung", "f"), ("organisation", "f"),
    ("kammer", "f"), ("kasse", "f"), ("bank", "f"), ("agentur", "f"), ("stiftung", "f"),
    ("behörde", "f"), ("genossenschaft", "f"), ("liga", "f"), ("anstalt", "f"),
    ("hochschule", "f"), ("universität", "f"), ("industrie", "f"), ("allianz", "f"),
    ("bund", "m"), ("verband", "m"), ("verein", "m"), ("konzern", "m"), ("rundfunk", "m"),
    ("gewerkschaftsbund", "m"), ("fonds", "m"), ("verlag", "m"), ("rat", "m"), ("klub", "m"),
    ("institut", "n"), ("amt", "n"), ("zentrum", "n"), ("ministerium", "n"), ("komitee", "n"),
    ("netzwerk", "n"), ("bündnis", "n"), ("museum", "n"), ("gericht", "n"), ("forum", "n"),
    ("hilfswerk", "n"), ("kommando", "n"), ("kurie", "f"), ("jugend", "f"), ("front", "f"),
    ("gerichtshof", "m"), ("rechnungshof", "m"), ("senat", "m"))
# Kinds of place, the same way: "die Keltische See", "am Persischen Golf"
PLACE_KIND_GENDERS = (
    ("see", "f"), ("meer", "n"), ("golf", "m"), ("halbinsel", "f"), ("ozean", "m"),
    ("gebirge", "n"), ("becken", "n"), ("tiefland", "n"), ("hochland", "n"), ("wüste", "f"),
    ("bucht", "f"), ("kanal", "m"), ("archipel", "m"), ("hochebene", "f"))
ADJECTIVE_ENDING = {"f": "e", "m": "er", "n": "es"}  # the nominative after no article
# Adjectives besides those in -isch that begin names of organisations: "die Junge Kurie",
# "die Junge Industrie", "der Oberste Gerichtshof", "die Rote Armee", "die Freie Universität"
NAME_ADJECTIVE_STEMS = frozenset({"Jung", "Neu", "Erst", "Grün", "Rot", "Schwarz", "Weiß",
                                  "Frei", "Vereinigt", "Sozial", "Liberal", "National",
                                  "International", "Christlich", "Oberst", "Hoh", "Evangelisch",
                                  "Katholisch", "Islamisch", "Zentral", "Allgemein"})

# The adjectives of states, Länder and cantons that no "-er" of their name gives, by stem:
# "die niederösterreichische Landesregierung" is "Landesregierung Niederösterreich"
STATE_ADJECTIVES = {
    "niederösterreichisch": "Niederösterreich", "oberösterreichisch": "Oberösterreich",
    "steirisch": "Steiermark", "steiermärkisch": "Steiermark", "kärntnerisch": "Kärnten",
    "salzburgisch": "Salzburg", "burgenländisch": "Burgenland", "vorarlbergisch": "Vorarlberg",
    "bayerisch": "Bayern", "hessisch": "Hessen", "sächsisch": "Sachsen",
    "niedersächsisch": "Niedersachsen", "thüringisch": "Thüringen",
    "brandenburgisch": "Brandenburg", "saarländisch": "Saarland",
    "baden-württembergisch": "Baden-Württemberg", "rheinland-pfälzisch": "Rheinland-Pfalz",
    "nordrhein-westfälisch": "Nordrhein-Westfalen",
    "schleswig-holsteinisch": "Schleswig-Holstein",
    "mecklenburg-vorpommersch": "Mecklenburg-Vorpommern", "hamburgisch": "Hamburg",
    "bremisch": "Bremen", "zürcherisch": "Zürich", "bernisch": "Bern", "tessinisch": "Tessin",
    "walliserisch": "Wallis"}
IRREGULAR_TOWN_ADJECTIVES = {"Kärntner": "Kärnten", "Zürcher": "Zürich", "Basler": "Basel",
                             "Bündner": "Graubünden", "Walliser": "Wallis",
                             "Urner": "Uri", "Glarner": "Glarus", "Thurgauer": "Thurgau"}
# English and German kinds of organisation that end a name: "International Wetland
# Foundation", "University of Manitoba", "Tech Insider", "Vorarlberger Nachrichten"
ORG_TAIL_WORDS = frozenset({
    "Foundation", "Institute", "University", "College", "Association", "Society", "Council",
    "Agency", "Group", "Fund", "Corporation", "Company", "Records", "Pictures", "Studios",
    "Airlines", "Airways", "Motors", "Partners", "Holdings", "Technologies", "Labs",
    "Insider", "Herald", "Tribune", "Gazette", "Stiftung", "Verlag", "Werke", "Nachrichten",
    "Rundschau", "Anzeiger", "Tagblatt", "Bank", "Holding", "Gruppe", "Klinik",
    "Board", "Commission", "Committee", "Trust", "Federation", "Alliance", "Academy", "Bureau",
    "Museum", "Gesellschaft", "Akademie", "Institut", "Zentrum", "Forum", "Komitee",
    "Systems", "Software", "Entertainment", "Interactive", "Consulting",
    "Communications", "Electronics", "Robotics", "Pharmaceuticals", "Ventures", "Networks"})
# German kinds of organisation a name may end in "für ...": "Institut für Hochenergiephysik",
# "Österreichisches Museum für Volkskunde", "Universität für Bodenkultur"
TAILS_BEFORE_FUER = frozenset({"Institut", "Museum", "Zentrum", "Gesellschaft", "Akademie",
                               "Forum", "Komitee", "Stiftung", "Verband", "Verein", "Fonds",
                               "Universität", "Hochschule"})
NEUTER_TAILS = frozenset({"Museum", "Institut", "Zentrum", "Forum", "Komitee"})
MASCULINE_TAILS = frozenset({"Verlag", "Anzeiger", "Verband", "Verein", "Fonds"})
# nouns before the title of a work: "das Album Rivers & Streams", "der Roman Conversazione"
WORK_NOUNS = frozenset({"Album", "Film", "Buch", "Song", "Single", "Serie", "Roman", "Titel",
                        "Stück", "Werk", "Oper", "Musical", "Hit", "Spielfilm", "Dokumentarfilm",
                        "Gedicht", "Drama", "Komödie", "Thriller", "Bestseller", "Sujet", "Sujets"})
INDEFINITE = frozenset({"ein", "eine", "einem", "einen", "einer", "eines"})
# What a person's name in a compound may name instead of the person: "Konrad-Adenauer-Haus",
# "Sigmund-Freud-Privatuniversität", "Nelson-Mandela-Platz"
NAMED_AFTER_TAILS = ("haus", "platz", "straße", "strasse", "gasse", "allee", "ring", "weg",
                     "preis", "schule", "gymnasium", "stadion", "halle", "zentrum", "institut",
                     "stiftung", "universität", "hof", "kaserne", "brücke", "park", "kai",
                     "saal", "museum", "denkmal", "flughafen", "medaille", "orden", "stipendium",
                     "bahnhof", "klinik", "spital", "krankenhaus", "kirche", "hütte", "villa")
# the short forms of given names news use for people the gazetteer names in full
HYPOCORISMS = {
    "Rudi": ("Rudolf",), "Hansi": ("Hans", "Johann", "Johannes"), "Hans": ("Johann", "Johannes"),
    "Sepp": ("Josef",), "Pepi": ("Josef",), "Willi": ("Wilhelm",), "Fritz": ("Friedrich",),
    "Toni": ("Anton",), "Gerd": ("Gerhard",), "Andi": ("Andreas",), "Wolfi": ("Wolfgang",),
    "Poldi": ("Leopold",), "Heinz": ("Heinrich",), "Bill": ("William",), "Bob": ("Robert",),
    "Mike": ("Michael",), "Tom": ("Thomas",), "Alex": ("Alexander",), "Jim": ("James",),
    "Nick": ("Nicholas", "Nikolaus"), "Dick": ("Richard",), "Ted": ("Edward",),
    "Tony": ("Anthony", "Antonio"), "Chris": ("Christopher", "Christian"),
    "Sascha": ("Alexander",), "Pep": ("Josep",), "Pepe": ("José",), "Paco": ("Francisco",),
    "Vlado": ("Vladimir",), "Misha": ("Michail",), "Mischa": ("Michail",),
}
MAJOR_PLACE_NOTES = ("Staat", "Hauptstadt", "Bundesland", "Kanton", "Bundesstaat", "Region",
                     "Kontinent", "Großstadt", "Landeshauptstadt", "Provinz")
MONTHS = frozenset("""Januar Jänner Februar März April Mai Juni Juli August September Oktober
    November Dezember""".split())
# venues a company or person lends its name: "Sky-Bar", "Allianz-Arena" name neither
VENUE_TAILS = ("bar", "lounge", "arena", "stadion", "hotel", "restaurant", "café")
ENGLISH_ORG_TAILS = frozenset({
    "Foundation", "Institute", "University", "College", "Association", "Society", "Council",
    "Agency", "Group", "Fund", "Corporation", "Company", "Records", "Pictures", "Studios",
    "Airlines", "Airways", "Motors", "Partners", "Holdings", "Technologies", "Labs", "Board",
    "Commission", "Committee", "Trust", "Federation", "Alliance", "Academy", "Bureau",
    "Systems", "Software", "Entertainment", "Interactive", "Consulting",
    "Communications", "Electronics", "Robotics", "Pharmaceuticals", "Ventures", "Networks"})
ORG_TAILS_AFTER_ADJECTIVE = frozenset({"Nachrichten", "Rundschau", "Anzeiger", "Tagblatt",
                                       "Bank", "Verlag", "Stiftung", "Museum", "Gesellschaft",
                                       "Akademie", "Institut"})
# Kinds of organisation that end a hyphenated name: "KLV-Stiftung", "Al-Quds-Universität"
ORG_COMPOUND_TAILS = frozenset({
    "Partei", "Stiftung", "Universität", "Gruppe", "Konzern", "Bank", "Miliz", "Bewegung",
    "Institut", "Verlag", "Holding", "Klinik", "Fonds", "Gesellschaft", "Brigaden",
    "Brigade", "Front", "Foundation", "Group", "Akademie", "Hochschule"})
ORG_HEAD_WORDS = frozenset({"Band", "Duo", "Trio", "Quartett", "Ensemble", "Orchester", "Chor"})
TITLE_BODIES = frozenset({"Bundesrat", "Nationalrat", "Ständerat", "Landtag", "Stadtrat"})
EVENT_WORDS = frozenset({"League", "Cup", "Open", "Masters", "Games", "Grand", "Classic"})
DETERMINERS = frozenset({"das", "dem", "des", "ein", "einem", "eines", "beim", "zum", "vom",
                         "kein", "keinem", "sein", "seinem", "ihr", "ihrem", "unser"})
PLACE_PREPOSITIONS = frozenset({"in", "nach", "aus", "im", "ins", "nahe"})
TOWN_PREPOSITIONS = frozenset({"in", "nach", "aus", "nahe"})  # before an unknown town
# endings of German town names that no compound of common words has
TOPONYM_ENDINGS = ("münster", "kirchen", "hausen", "ingen", "stetten", "brunn", "weiler", "reuth")
TOWNS_THAT_ARE_NOUNS = frozenset({"Essen", "Halle", "Hof", "Siegen"})  # "Kleidung oder Essen"
NOUN_PREPOSITIONS = frozenset({"auf", "mit", "von", "zu", "an", "vor"})  # not "in"/"nach Siegen"
NOT_TOWNS = frozenset({"hinkunft", "summe", "folge"})  # "in Hinkunft": Austrian for "künftig"
GERMAN_ADJECTIVES = frozenset({"deutsche", "deutschen", "deutscher", "Berliner"})
COMPOUND_TAILS_NAMING_NOTHING = frozenset({"Dollar", "Cent"})
INSTITUTION_SUFFIXES = ("ministerium", "kammer", "gericht", "gerichtshof", "amt", "anstalt",
                        "anwaltschaft", "behörde", "agentur")
# Closed compounds that name one institution by their form
KAMMER_HEADS = ("arbeiter", "wirtschafts", "ärzte", "landwirtschafts", "rechtsanwalts",
                "apotheker", "notariats", "handels", "zahnärzte", "tierärzte", "architekten",
                "bundesärzte", "landesärzte", "psychotherapeuten", "steuerberater",
                "patentanwalts", "bundesarbeits", "landarbeiter")
# A part of a known place named by its direction: "Osteuropa", "Nordafrika", "Südostasien",
# "Nordatlantik" (the place after the prefix must be known)
COMPASS_PLACE = re.compile(r"(Nord|Süd|Ost|West|Zentral|Mittel|Kontinental)(ost|west)?"
                           r"([a-zäöü]{3,})$")
# Korean given names are romanised as two syllables joined by a hyphen, the second in lower
# case ("Ki-moon", "Jong-un"), after a family name of one syllable ("Ban", "Kim", "An")
KOREAN_GIVEN_NAME = re.compile(r"[A-Z][a-z]{1,5}-[a-z]{2,5}$")
FAMILY_FIRST = re.compile(r"[A-Z][a-z]{1,4}$")
# the commonest Chinese family names in pinyin, and a given name of one or two syllables
CHINESE_FAMILY_NAMES = frozenset("""Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu
    Hu Guo He Gao Lin Luo Zheng Liang Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong
    Pan Yuan Cai Jiang Yu Du Ye Cheng Wei Su Ding Ren Lu Yao Shen Zhong Cui Tan Fan Liao Shi Jin
    Jia Xia Fu Fang Zou Xiong Bai Meng Qin Qiu Hou Yin Xue Yan Duan Lei Long Tao Mao Hao Gu Gong
    Shao Wan Qian Dai Mo Kong Xiang Chang Zhai Bo Hua Xi""".split())
_PINYIN_SYLLABLE = ("(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ang|eng|ing|ong|ian|iao"
                    "|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ui|ue|er|a|o|e|i|u|ü)")
PINYIN_GIVEN_NAME = re.compile(f"(?:{_PINYIN_SYLLABLE}){{1,2}}$")
NOT_CHINESE_NAMES = frozenset({"Feng Shui"})  # a phrase of two pinyin words
# the commonest Vietnamese family names, written first, before one or two short given names
VIETNAMESE_FAMILY_NAMES = frozenset("""Nguyen Nguyễn Tran Trần Pham Phạm Hoang Hoàng Huynh Huỳnh
    Phan Vu Vũ Vo Võ Dang Đặng Bui Bùi Ngo Ngô Duong Dương""".split())
DATELINE = re.compile(
    r"("
    r"(?:(?:St\.|[A-ZÄÖÜ][\w'’-]*)(?: (?:an der|an|am|im|in der|ob der|bei|[A-ZÄÖÜ][\w'’-]*)){0,3}"
    r"(?: \([A-ZÄÖÜ][\w .-]{1,30}\))?)"
    r"(?: ?/ ?(?:St\.|[A-ZÄÖÜ][\w'’-]*)(?: (?:an der|an|am|im|in der|bei|[A-ZÄÖÜ][\w'’-]*)){0,3}"
    r"(?: \([A-ZÄÖÜ][\w .-]{1,30}\))?)*"
    r") [–-] +(?=[A-ZÄÖÜ0-9„\"])")
DATELINE_REACH = 900  # the dateline follows the lead, within the first characters
CREDIT_DATE = re.compile(r"\d{1,2}$")
NOUN_ENDINGS = ("ung", "ungen", "heit", "keit", "schaft", "tion", "tionen", "ismus", "tät",
                "nis", "ment", "ente", "enten", "ieren", "isch", "ische", "ischen", "lich",
                "liche", "lichen", "ern")
COMMON_WORD_ZIPF = 3.9  # a capitalised word more common than this is a noun, not a name
GIVEN_NAME_ZIPF = 4.6  # after a given name a word may be commoner ("Olaf Scholz", "Mark Rutte")
UNKNOWN_NAME_ZIPF = 3.0  # a given name no list knows is rarer than this as a word
ORDINARY_WORD_ZIPF = 4.9  # a family name this common as a word needs the full name nearby
KIN_NOUNS = ("tochter", "mutter", "vater", "bruder", "schwester")
CLUB_WORD_ZIPF = 4.0  # a word of a club's name commoner than this is no short name ("Sturm")
# words of clubs' names that stand for no club alone: "United", "Young Boys", "Red Bull"
NOT_CLUB_SHORT_NAMES = frozenset({"United", "Young", "Boys", "Golden", "State", "Wings",
                                  "Bull", "Roter", "Pauli", "Fortuna", "Sporting", "Athletic",
                                  "Derby", "Real", "Union", "Inter"})
GENITIVE_ZIPF = 3.5  # a name in -s this common as a word is no genitive ("Chaos", not "Chao's")


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    names = set(_word_list("first_names.txt"))
    for entry in load_gazetteer().entries:
        first = entry.canonical.split()[0]
        if entry.type == "person" and len(entry.canonical.split()) > 1 and not _is_role(first) \
                and first not in TITLES:
            names.add(first)
    return frozenset(names)


def _word_list(file: str) -> list[str]:
    text = (resources.files("indexer") / "data" / file).read_text(encoding="utf-8")
    return [w for line in text.splitlines() if not line.startswith("#") for w in line.split()]


@lru_cache(maxsize=1)
def world_given_names() -> frozenset[str]:
    """Given names of many languages (``given_names_world.txt``, from Faker's lists) that
    are not family names the gazetteer knows (``Vance``) nor among ``first_names()``. A
    name read after one of these alone must be rarer as a word (``Vance Zustände``)."""
    surnames = load_gazetteer().surnames
    return frozenset(w for w in _word_list("given_names_world.txt")
                     if w not in surnames) - first_names()


@lru_cache(maxsize=1)
def ambiguous_surnames() -> frozenset[str]:
    text = (resources.files("indexer") / "data" / "ambiguous_surnames.txt").read_text("utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#")
                     for w in line.split())


def _stands_alone(surname: str) -> bool:
    """May this family name alone mean the one person the gazetteer knows by it?"""
    return surname not in ambiguous_surnames() and zipf(surname.lower()) < ORDINARY_WORD_ZIPF


@dataclass
class Mention:
    start: int
    type: str
    name: str  # canonical where known
    surface: str = ""  # the word it was found at, for the rules that read the article whole
    prev: str = ""  # the word before it


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


@lru_cache(maxsize=100_000)
def _variants(token: str) -> tuple[str, ...]:
    """A token and what it may be before German inflection: ``Putins`` -> ``Putin``."""
    out = [token]
    for suffix in ("'s", "’s", "'", "’"):
        if token.endswith(suffix):
            out.append(token[: -len(suffix)])
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        out.append(token[:-1])
    if len(token) > 4 and token.endswith("es"):
        out.append(token[:-2])
    if len(token) > 4 and token.endswith("en") and (
            zipf(token[:-1].lower()) >= 3.0 or zipf(token.lower()) < 3.0):
        out.append(token[:-1])  # "der Grünen" -> "Grüne", not "Arten" -> "Arte"
    return tuple(out)


@lru_cache(maxsize=100_000)
def _surname_variants(token: str) -> tuple[str, ...]:
    """A family name and its genitive (``Putins``, ``Scholz'``), not other endings:
    ``Chaos`` is no genitive of Chao, ``Leyen`` no form of Leye."""
    out = [token]
    for suffix in ("'s", "’s", "'", "’"):
        if token.endswith(suffix):
            out.append(token[: -len(suffix)])
    if len(token) > 3 and token.endswith("s") and (
            zipf(token.lower()) < GENITIVE_ZIPF
            or zipf(token[:-1].lower()) >= zipf(token.lower())):  # "Trumps": Trump is commoner
        out.append(token[:-1])
    return tuple(out)


def _name_like(word: str, limit: float = COMMON_WORD_ZIPF) -> bool:
    """Could this capitalised word be a family name rather than a noun?"""
    if not _is_cap(word) or len(word) < 3 or word.isupper():
        return False
    lower = word.lower()
    frequency = zipf(lower)
    if lower.endswith(NOUN_ENDINGS):  # a noun, unless no word list knows it ("Lafazanis")
        return frequency == 0 and "-" not in word and not _german_compound(lower)
    return frequency < limit


def _ending(suffixes, inflections: str) -> re.Pattern:
    """A pattern matched against a reversed word: does the word end in one of the suffixes,
    perhaps inflected? Anchored at the start of the reversed word, so one pass, no search."""
    alternatives = "|".join(re.escape(x[::-1]) for x in sorted(set(suffixes), key=len,
                                                                  reverse=True))
    return re.compile(f"(?:{inflections})?(?:{alternatives})")


_ROLE_END = _ending(ROLE_SUFFIXES, "ne|n|s")


@lru_cache(maxsize=100_000)
def _is_role(word: str) -> bool:
    """``Verteidigungsminister``, ``Präsidentin``, ``Präsidenten``, ``CDU-Chef`` ..."""
    return _is_cap(word) and _ROLE_END.match(word.lower()[::-1]) is not None


class EntityExtractor:
    def __init__(self, gazetteer: Gazetteer | None = None):
        self.gaz = gazetteer or load_gazetteer()
        self.first_names = first_names()
        self.world_given = world_given_names()
        # "Andre", "Jose", "Rene": given names written without their accents in the press
        self._given_unaccented = frozenset(
            plain for name in self.first_names | self.world_given
            if (plain := _strip_accents(name)) != name and plain[:1].isupper())
        self._skip: dict[str, bool] = {}  # word -> no rule starts at it (see _classify)
        # "Pariser" -> "Paris": the adjectives of one-word places
        self._towns = {f"{name}er": e.canonical for e in self.gaz.entries if e.type == "place"
                       for name in e.names if " " not in name and not name.endswith("e")}
        self._towns.update({adjective: place for adjective, place
                            in IRREGULAR_TOWN_ADJECTIVES.items()
                            if self.gaz.resolve(place, "place") is not None})
        self._compound_orgs: dict[str, Entry | None] = {}
        self._compounds: dict[str, list[tuple[str, str, str]]] = {}
        self._compass_places: dict[str, str] = {}
        self._unknown_towns: dict[str, bool] = {}
        self._families_tested: set[str] = set()  # words _family_alone was asked about
        self._families_alone: set[str] = set()  # of those, the ones that may be family names
        self._words: list[str] = []  # the article being read, and its words and the parts
        self._own_s: set[str] | None = None  # of its hyphenated words (see _person_genitive)
        # names that begin in lower case or with a digit: "voestalpine", "profil", "1. FC Köln"
        self._lower_starts = frozenset(t for t in self.gaz.first_tokens
                                       if not t[:1].isupper() and t not in STOP_WORDS
                                       and len(t) > 1 and t.isalnum() or t.isdigit())
        # words that begin a name of a person or organisation the gazetteer knows
        self._name_starts = frozenset(form[0] for form, entries in self.gaz.by_surface.items()
                                      if any(e.type != "place" for e in entries))

    # matching ------------------------------------------------------------------
    def _gazetteer_match(self, words: list[str], i: int) -> tuple[int, list[Entry]]:
        """The longest gazetteer form at words[i:], its last word possibly inflected."""
        by_surface = self.gaz.by_surface
        for n in self.gaz.lengths_from.get(words[i], ()):
            if i + n > len(words):
                continue
            head = tuple(words[i:i + n - 1])
            for last in _variants(words[i + n - 1]):
                found = by_surface.get(head + (last,))
                if found:
                    return n, found
        for variant in _variants(words[i]):
            found = by_surface.get((variant,))
            if found:
                return 1, found
        return 0, []

    def _surname_entries(self, word: str) -> tuple[str, list[Entry]]:
        for variant in _surname_variants(word):
            if variant in self.gaz.surnames:
                return variant, self.gaz.surnames[variant]
        return "", []

    def _given(self, word: str) -> bool:
        """A given name, also a hyphenated one (``Jean-François``, ``Klaas-Jan``)."""
        if word in self.first_names or word in self.world_given \
                or word in self._given_unaccented:
            return True
        return "-" in word and all(p in self.first_names or p in self.world_given
                                   or p in self._given_unaccented for p in word.split("-"))

    def _family_word(self, word: str) -> bool:
        """After a role and a common given name, a capitalised word that is no role, kind,
        nationality or noun by its ending may be a family name though it is a word too."""
        return (len(word) > 2 and not word.isupper() and "-" not in word
                and not word.lower().endswith(NOUN_ENDINGS) and not _is_role(word)
                and word not in DEMONYMS and word not in TITLES and not _place_noun(word)
                and not _org_head(word) and not self._given(word))

    def _family_like(self, word: str) -> bool:
        return (_name_like(word, GIVEN_NAME_ZIPF) or _arabic_article(word)
                or bool(self._surname_entries(word)[1]))

    def _read_name(self, words: list[str], i: int) -> int:
        """Length of a person name starting at i: given name(s), initial, particles,
        family name, and what may follow a family name (``bin Salman``, ``al-Sisi``)."""
        j, n = i, len(words)
        while j < n and (self._given(words[j]) or (j > i and _particle_at(words, j)
                                                   and not self._by_full_name(words, j))):
            j += 1
        while j > i + 1 and words[j - 1] in PARTICLES:
            j -= 1  # "Maria de" -> the particle belongs to the family name
        if j == i or j >= n:
            return 0
        if len(words[j]) == 1 and words[j].isupper() and j + 1 < n and words[j + 1] == ".":
            if j + 2 < n and self._family_like(words[j + 2]):
                j += 2  # "Christopher B. Landon"
            else:
                return j + 2 - i  # "Hasan E.": the family name withheld
        if words[j] in ROMAN_NUMERALS:
            return j + (2 if j + 1 < n and words[j + 1] == "." else 1) - i  # "Joseph II."
        while j < n - 1 and _particle_at(words, j):
            j += 1
        if j < n and j - i >= 2 and words[j - 1] not in PARTICLES and any(
                e.type == "place" for v in _variants(words[j])
                for e in self.gaz.by_surface.get((v,), ())):
            return j - i  # "Bobby Charlton Englands Rekordtorschütze"
        if j < n and not self._family_like(words[j]) and j - i >= 2 \
                and words[j - 1] not in PARTICLES and not _is_cap(words[j]):
            return j - i  # "Josef Klaus sagte": the last given name is the family name
        if j < n and self._family_like(words[j]) and words[j] not in EVENT_WORDS and (
                any(w in self.first_names for w in words[i:j])
                or self._surname_entries(words[j])[1] or _arabic_article(words[j])
                or (_name_like(words[j])  # after a rarer given name no known place or org
                    and not self._known_name_at(words, j))):
            j += 1
            while j < n:  # "Mohammed bin Salman", "Abu Bakr al-Baghdadi"
                if _arabic_article(words[j]):
                    j += 1
                elif (words[j] in TRAILING_PARTICLES and j + 1 < n and _is_cap(words[j + 1])
                      and _name_like(words[j + 1], GIVEN_NAME_ZIPF)):
                    j += 2
                elif self._second_family_name(words, j):
                    j += 1  # "Alejandro González Iñárritu", "Gabriel García Márquez"
                elif words[j] in ("von", "van", "de") and self._second_family_name(words, j + 1):
                    j += 2  # "Mathias Müller von Blumencron"
                else:
                    break
            return j - i
        return 0

    def _by_full_name(self, words: list[str], j: int) -> bool:
        """``Son of Saul von László Nemes``: ``von`` before a given and a family name is
        "by", not a particle of the name before it."""
        return words[j] == "von" and self._given(_at(words, j + 1)) \
            and _is_cap(_at(words, j + 2)) and self._family_like(words[j + 2])

    def _known_name_at(self, words: list[str], j: int) -> bool:
        """Is the word at j a name the gazetteer knows, or the start of one? A word that
        begins a person's or organisation's name is; of places, a name written out in full
        (``Molina de Segura``, not ``Molina``) or a place many know (a state, a capital, a
        city as common as a word): a small town (``Lund``) may be a family name too."""
        if any(v in self._name_starts for v in _variants(words[j])):
            return True
        length, entries = self._gazetteer_match(words, j)
        return length > 1 or (length == 1 and any(
            e.note.startswith(MAJOR_PLACE_NOTES) or zipf(words[j].lower()) >= 4.0
            for e in entries))

    def _second_family_name(self, words: list[str], j: int) -> bool:
        """A second family name after the first: a capitalised word no word list, given-name
        list or gazetteer knows, that ends the name (no capitalised word follows it) and is
        not the family name of someone else the article names ("soll Bettina Lancester
        Lindinger ablösen" beside "Ewald Lindinger")."""
        if j >= len(words):
            return False
        word = words[j]
        return (_is_cap(word) and not word.isupper() and len(word) > 2 and "-" not in word
                and zipf(word.lower()) == 0 and not self._given(word)
                and not self._known_name_at(words, j)
                and word not in self._towns and not word.lower().endswith(NOUN_ENDINGS)
                and not _german_compound(word.lower()) and not _is_cap(_at(words, j + 1))
                and not any(words[k - 1] != words[j - 1] and self._given(words[k - 1])
                            for k, w in enumerate(words) if w == word and k))

    # extraction ----------------------------------------------------------------
    def mentions(self, text: str) -> list[Mention]:
        """Mentions in text order; ``start`` is the index of the word they begin at."""
        words = TOKEN.findall(text)
        self._words, self._own_s = words, None
        self._dateline_towns: set[str] = set()  # "Hannover – ": a place, not Hannover 96
        self._after_roles: set[int] = set()  # words a role noun names ("Ministerin Bas")
        found: list[Mention] = self._dateline(text)
        bare_surnames: list[tuple[int, str, list[Entry]]] = []
        skip = self._skip.get
        resume = 0  # a rule that took several words resumes here
        for i, word in enumerate(words):
            if i < resume:
                continue
            skipped = skip(word)
            if skipped is None:
                skipped = self._classify(word)
            if skipped:
                continue
            if not word[:1].isupper():  # "(" of a credit, a speech verb, or "voestalpine"
                if word == "(":
                    resume = self._credit(words, i, found)
                    continue
                if word in TOWN_PREPOSITIONS:
                    resume = self._after_preposition(words, i + 1, found)
                    continue
                if word == "&" and i and _is_cap(words[i - 1]) and _is_cap(_at(words, i + 1)) \
                        and not self._given(words[i + 1]) and not (
                            found and found[-1].type == "person" and found[-1].start >= i - 3) \
                        and zipf(words[i - 1].lower()) < COMMON_WORD_ZIPF \
                        and _at(words, i - 2) not in WORK_NOUNS:  # "Album Rivers & Streams"
                    resume = self._ampersand(words, i, found)  # "Kornfeld & Klipstein"
                    continue
                if word in SPEECH_VERBS:
                    if word != "so" or (i and words[i - 1] == ","):
                        k = i + 1 + (_at(words, i + 1) in SPEECH_ADVERBS)  # "sagt etwa X Y"
                        resume = self._after_role(words, k, found, bare_surnames,
                                                  strict=True)
                    continue
            n, entries = self._gazetteer_match(words, i)
            if n:
                entry = self._choose(entries)
                prev = words[i - 1] if i else ""
                if entry is None or (n == 1 and self._not_a_name_here(words, i, prev, entry)) \
                        or (entry.type == "org" and self._town_adjective(words, i, n)) \
                        or (entry.type == "org" and "eitung" in entry.note.lower()  # a paper
                            and _common_phrase_opening(words, i, n)):
                    resume = i + n
                    continue
                if entry.type != "org" and word in CLUB_PREFIXES and _is_cap(_at(words, i + n)):
                    resume = self._club(words, i, found)  # "Hellas Verona", not Greece
                    continue
                found.append(Mention(i, entry.type, entry.canonical, word, prev))
                resume = i + n
                if entry.type == "person" and n > 1:
                    resume = self._listed_person(words, i + n, found)
                if n == 1 and word in TITLE_BODIES:
                    resume = self._after_role(words, i + 1, found, bare_surnames)
                continue
            if i and _name_adjective(word) and words[i - 1] not in SENTENCE_OPENERS and (
                    not _is_cap(words[i - 1]) or i == 1 or words[i - 2] in SENTENCE_OPENERS):
                named, kind = self._adjective_and_kind(words, i)
                if named:
                    found.append(Mention(i, kind, named, word, words[i - 1]))
                    resume = i + 2 + (named.count(" ") > 1)  # "... Partei Frankreichs"
                    continue
            org = self._compound_org(word)
            if org is not None:
                found.append(Mention(i, "org", org.canonical, word))
            institution = self._institution(words, i) if (
                word in self._towns or _institution_word(word) is not None
                or _singular(word) in INSTITUTIONS_WITH_TOWN) else None
            if institution:
                length, name = institution
                found.append(Mention(i, "org", name))
                if "-" in word:
                    found.extend(self._compound_parts(word, i))
                resume = i + length
                continue
            if COMPASS_PLACE.match(word) and (place := self._compass_place(word)):
                found.append(Mention(i, "place", place, word, words[i - 1] if i else ""))
                continue
            if word in VIETNAMESE_FAMILY_NAMES and _vietnamese_name_part(_at(words, i + 1)):
                k = i + 3 if _vietnamese_name_part(_at(words, i + 2)) else i + 2
                found.append(Mention(i, "person", " ".join(words[i:k]), word,
                                     words[i - 1] if i else ""))
                resume = k  # "Nguyen Phu Trong", "Vo Van Thuong": family name first
                continue
            if word in CHINESE_FAMILY_NAMES and _chinese_given_name(_at(words, i + 1)) \
                    and f"{word} {words[i + 1]}" not in NOT_CHINESE_NAMES:
                found.append(Mention(i, "person", f"{word} {words[i + 1]}", word,
                                     words[i - 1] if i else ""))
                resume = i + 2  # "Li Qiang", "Guo Jianmei": family name first, then pinyin
                continue
            if i and KOREAN_GIVEN_NAME.match(word) and FAMILY_FIRST.match(words[i - 1]):
                found.append(Mention(i - 1, "person", f"{words[i - 1]} {word}", words[i - 1]))
                continue  # "Ban Ki-moon", "An Hyong-chan": family name first, then given
            if "-" in word and not self._given(word):
                found.extend(self._compound_parts(word, i))
                for part in word.split("-"):  # "Macron-Gesetz": whose, if the article says
                    key, people = self._surname_entries(part) if _is_cap(part) else ("", [])
                    if len(people) > 1:
                        bare_surnames.append((i, key, people))
                if _is_role(word) and i + 1 < len(words):
                    resume = self._after_role(words, i + 1, found, bare_surnames)
                elif _org_head(word) and i + 1 < len(words):
                    resume = self._after_org_head(words, i, found)
                continue
            if word in ABBREVIATED_TITLES and _at(words, i + 1) == ".":
                resume = self._after_role(words, i + 2, found, bare_surnames)
                continue
            if _is_role(word) and i + 1 < len(words):
                if _counted(_at(words, i - 1)):  # "300 Polizisten Zöllner": many, no name
                    resume = i + 1
                    continue
                resume = self._after_role(words, i + 1, found, bare_surnames)
                if resume == i + 1 and words[i + 1] in ("des", "der"):
                    resume = self._after_role_of(words, i + 2, found, bare_surnames)
                continue
            if word in DEMONYMS and i + 1 < len(words):
                resume = self._after_role(words, i + 1, found, bare_surnames, strict=True)
                continue
            if _legal_form(word) and i:
                self._company_before(words, i, found)
                continue
            if (word in ORG_TAIL_WORDS or (word[-1] == "s" and word[:-1] in ORG_TAIL_WORDS)) \
                    and i:
                resume = self._name_before_kind(words, i, found)
                if resume > i:
                    continue
            if word in CLUB_PREFIXES and i + 1 < len(words):
                resume = self._club(words, i, found)
                continue
            if _org_head(word) and i + 1 < len(words):
                resume = self._after_org_head(words, i, found)
                if resume > i + 1:
                    continue
            if _place_noun(word) and i + 1 < len(words) and _name_like(words[i + 1]) \
                    and not self._gazetteer_match(words, i + 1)[0] \
                    and not self._given(words[i + 1]):
                name, resume = words[i + 1], i + 2
                if self._foreign_place_word(_at(words, i + 2)) \
                        and not _is_cap(_at(words, i + 3)):
                    name, resume = f"{name} {words[i + 2]}", i + 3  # "Bundesstaat Uttar Pradesh"
                found.append(Mention(i + 1, "place", _strip_genitive(name, _at(words, resume))))
                continue
            if org is not None:
                continue
            if word in WORK_NOUNS and _at(words, i - 1).lower() in ARTICLES:
                resume = _title_end(words, i + 1)  # "der Film Hiroshima mon amour": a title
                resume = next((k for k in range(i + 2, resume) if self._by_full_name(words, k)),
                              resume)  # "... Son of Saul von László Nemes": its maker follows
                continue
            length = self._read_name(words, i)
            if length:
                k = i + length
                if words[k - 1][-1:] == "s" and _at(words, k)[-1:] == "s" \
                        and _is_cap(_at(words, k + 1)) and _name_like(words[k]) \
                        and zipf(words[k].lower()) == 0 and not _org_head(words[k]):
                    length += 1  # "Charlotte Perkins Gilmans Kurzgeschichte": the s of the last
                name = self._person_genitive(_join(words[i:i + length]),
                                             _noun_after(words, i + length),
                                             words[i - 1] if i else "")
                found.append(Mention(i, "person", name))
                if i > 1 and words[i - 1] == "und" and words[i - 2] in self.first_names \
                        and length == 2 and not (i > 2 and self._given(words[i - 3])):
                    # "Bob und Mike Brandon", not "Robert Gordon und Julia Kovarik"
                    found.append(Mention(i - 2, "person", f"{words[i - 2]} {name.split()[-1]}"))
                elif i > 2 and words[i - 1] == "und" and length == 3 and name.count(" ") == 2 \
                        and self._given(words[i + 1]) and self._given(words[i - 2]) \
                        and self._given(words[i - 3]) and found[-2:-1] \
                        and found[-2].type == "person" and found[-2].start == i - 3 \
                        and found[-2].name == f"{words[i - 3]} {words[i - 2]}":
                    # "Anna Lena und Eva Maria Huber": both given names before the family name
                    found[-2].name = f"{words[i - 3]} {words[i - 2]} {name.split()[-1]}"
                resume = self._listed_person(words, i + length, found)
                continue
            key, entries = self._surname_entries(word)
            if entries:
                bare_surnames.append((i, key, entries))
        self._pairs_named_again(words, found)
        self._towns_listed_with(words, found)
        return self._resolve_surnames(found, bare_surnames)

    def _towns_listed_with(self, words: list[str], found: list[Mention]) -> None:
        """``Maskat und Salalah``, ``Calais, Dieppe oder Cherbourg``: a word no German word list
        knows, listed beside a place, is a place too."""
        for m in [m for m in found if m.type == "place" and m.start and m.surface
                  and words[m.start] == m.surface]:
            for step in (1, -1):
                k = m.start
                while _at(words, k + step) in (",", "und", "oder") and 0 < k + 2 * step:
                    k += 2 * step
                    word = _at(words, k)
                    if not _is_cap(word) or _is_cap(_at(words, k + 1)) \
                            or _at(words, k + 1).isdigit() \
                            or _is_cap(_at(words, k - 1)) or not self._unknown_town_cached(word):
                        break
                    found.append(Mention(k, "place", word, word, words[k - 1]))

    def _listed_person(self, words: list[str], end: int, found: list[Mention]) -> int:
        """``Justin Bieber und Whiz Khalifa``: two rare capitalised words listed after a
        person's full name are a person too. Returns where reading resumes."""
        k = end + 1
        if _at(words, end) in ("und", "oder") and _is_cap(_at(words, k)) \
                and _is_cap(_at(words, k + 1)) and not _is_cap(_at(words, k + 2)) \
                and _name_like(words[k], GENITIVE_ZIPF) and _name_like(words[k + 1], GENITIVE_ZIPF) \
                and not self._gazetteer_match(words, k)[0] \
                and not self._gazetteer_match(words, k + 1)[0] \
                and not _org_head(words[k]) and not _is_role(words[k]) \
                and not words[k + 1].lower().endswith(NOUN_ENDINGS):
            found.append(Mention(k, "person", self._person_genitive(
                f"{words[k]} {words[k + 1]}", _noun_after(words, k + 2))))
            return k + 2
        return end

    def _person_genitive(self, name: str, following: str = "", preceding: str = "") -> str:
        """``_strip_genitive`` for a person's name, unless the article also writes the
        family name with its ``s`` where no genitive can stand, before a verb or other lower-case
        word (``Nicholas Reeves`` in "der Archäologe Nicholas Reeves ... Reeves hatte")."""
        stripped = _strip_genitive(name, following, preceding)
        if stripped == name or not name.endswith("s"):
            return stripped
        last, stem = name.rsplit(" ", 1)[-1], stripped.rsplit(" ", 1)[-1]
        if self._own_s is None:  # per article, built once: the words and hyphenated parts
            words = set(self._words)
            self._own_s = words.union(*(w.split("-") for w in words if "-" in w))
        if stem in self._own_s:
            return stripped  # "ein Ölbild Schieles verschwunden", "Schiele-Werke"
        words, k = self._words, -1
        while True:  # the name before a verb or other lower-case word (list.index runs in C)
            try:
                k = words.index(last, k + 1)
            except ValueError:
                return stripped
            if _noun_after(words, k + 1)[:1].islower() \
                    and _at(words, k + 1) not in ("und", "oder", "sowie"):
                return name

    def _company_before(self, words: list[str], i: int, found: list[Mention]) -> None:
        """``Krenner Bleche GmbH``, ``Vienna Capital Partners AG``: the capitalised words before a
        legal form name a company (a person read there is its namesake, not a person)."""
        k = i
        while k > 0 and i - k < 4 and _is_cap(words[k - 1]) and not _legal_form(words[k - 1]) \
                and not _is_role(words[k - 1]) and words[k - 1].lower() not in STOP_WORDS:
            k -= 1
        if k == i or not _org_name_start(words[k]):
            return
        name = " ".join(words[k:i])
        entry = self.gaz.resolve(name, "org") or self.gaz.resolve(f"{name} {words[i]}", "org")
        found[:] = [m for m in found if not (m.type == "person" and k <= m.start < i)]
        found.append(Mention(k, "org", entry.canonical if entry else f"{name} {words[i]}"))

    def _ampersand(self, words: list[str], i: int, found: list[Mention]) -> int:
        """``Kornfeld & Klipstein``, ``Procter & Gamble``: names joined by ``&`` are a firm
        (a law firm, an agency, a publisher); what a rule read in them is replaced."""
        k = i - 1
        name = f"{words[k]} & {words[i + 1]}"
        found[:] = [m for m in found if m.start < k or m.type == "place" and m.start == 0]
        found.append(Mention(k, "org", self._org_name(name)))
        return i + 2

    def _name_before_kind(self, words: list[str], i: int, found: list[Mention]) -> int:
        """``International Wetland Foundation``, ``University of Manitoba``, ``Tech Insider``,
        ``Vorarlberger Nachrichten``: capitalised words before a kind of organisation that
        ends names, and an ``of ...`` after it. What rules read inside is replaced."""
        kind = words[i] if words[i] in ORG_TAIL_WORDS else words[i][:-1]  # "Museums"
        k = i
        while k > 0 and i - k < 5:
            w = words[k - 1]
            if w in ORG_NAME_LINKS and k - 1 > 0 and _is_cap(words[k - 2]) and w not in (
                    "de", "la", "le", "des"):  # "die Leihgaben des ...": German articles
                k -= 1
            elif _is_cap(w) and w.lower() not in STOP_WORDS and not _is_role(w) \
                    and w not in SENTENCE_END and w not in DEMONYMS and not _org_head(w):
                k -= 1  # not "Firma" of "die Firma Blue Origin Systems"
            else:
                break
        while k < i and words[k] in ORG_NAME_LINKS:
            k += 1
        end = i + 1
        if _at(words, end) in ("of", "for") and _is_cap(_at(words, end + 1)):
            end += 2  # "University of Manitoba", "Institute of Science and Technology"
            while end < len(words) and end - i < 9 and (
                    _is_cap(words[end]) or (words[end] in ORG_NAME_LINKS
                                            and _is_cap(_at(words, end + 1)))):
                end += 1
        elif kind in TAILS_BEFORE_FUER and _at(words, end) == "für" \
                and _at(words, k - 1).lower() not in INDEFINITE:
            m = end + 1  # "für", adjectives in lower case, nouns joined by "und"
            while m < len(words) and m - end < 6 and (
                    (words[m].islower() and words[m].endswith(("e", "en", "er", "es"))
                     and words[m] not in STOP_WORDS)
                    or (_is_cap(words[m]) and not words[m].isupper())
                    or (words[m] == "und" and _is_cap(_at(words, m + 1)))):
                m += 1
            while m > end + 1 and not _is_cap(words[m - 1]):
                m -= 1
            if m > end + 1:
                end = m
        if k == i and end == i + 1:
            return i
        first = words[k]
        if k < i and words[i] in ENGLISH_ORG_TAILS and kind in ("Software", "Systems") and (
                (zipf(first.lower()) >= COMMON_WORD_ZIPF and first not in self.gaz.first_tokens)
                or (first.endswith("s") and self.gaz.resolve(first[:-1], "org") is not None)):
            return i  # "Eigene Software", "Googles Software": a German word or a genitive
        if k < i and not (_org_name_start(first) or first in self._towns
                          or words[i] in ENGLISH_ORG_TAILS  # "International Wetland Foundation"
                          or (first.endswith(("ische", "ischen", "isches"))
                              and kind in ORG_TAILS_AFTER_ADJECTIVE)):
            return i  # "Oberösterreichische Nachrichten", not "die ugandische Gruppe"
        parts = words[k:end]
        parts[i - k] = kind
        name = _strip_genitive(" ".join(parts), _at(words, end))
        nominative = "isches " if kind in NEUTER_TAILS else (
            "ischer " if kind in MASCULINE_TAILS else "ische ")
        before = " ".join(parts[:i - k + 1])  # the adjectives before the kind, in the nominative
        name = before.replace("ischen ", nominative).replace("isches ", nominative) \
            + name[len(before):]
        found[:] = [m for m in found if not k <= m.start < end]
        entry = self.gaz.resolve(name, "org")
        found.append(Mention(k, "org", entry.canonical if entry else name))
        return end

    def _pairs_named_again(self, words: list[str], found: list[Mention]) -> None:
        """``Bakr Hannawi ... Hannawi sagte``: two rare capitalised words, the second named
        again alone, are a person whose given name no list knows. News names a person in
        full once and by the family name after; organisations and places are named again
        in full or by a short form."""
        taken = {w for m in found for w in m.name.split()}
        if "(" in words:
            self._names_before_age(words, found, taken)
        distinct = set(words)
        # each word is tested once (set operations keep the common path in C)
        for w in distinct - self._families_tested:
            if w[:1].isupper() and self._family_alone(w):
                self._families_alone.add(w)
            if len(self._families_tested) < 200_000:
                self._families_tested.add(w)
        again = {w for w in (distinct & self._families_alone) - taken
                 if (words.count(w) >= 2 or f"{w}s" in distinct) and self._no_known_word(w)}
        if not again:
            return
        for i in [k for k, w in enumerate(words) if w in again]:
            i -= 1
            if i < 1:
                continue
            family = words[i + 1]
            given, before = words[i], words[i - 1]
            if given in taken or before in SENTENCE_END or before in DETERMINERS \
                    or before in ("der", "die", "den") or not self._unknown_given(given) \
                    or given == family or _is_role(given) or _is_role(family):
                continue  # not "Wenn Analytiker Analytiker analysieren"
            if f"{family}s" not in distinct and all(
                    words[k - 1] == given for k, w in enumerate(words) if w == family and k):
                continue  # never alone: "Large Hadron Collider ... Hadron Collider"
            found.append(Mention(i, "person", self._person_genitive(f"{given} {family}",
                                                                    _noun_after(words, i + 2))))
            taken.update((given, family))

    def _names_before_age(self, words: list[str], found: list[Mention], taken: set) -> None:
        """``Marek Novotny (56)``: two rare capitalised words before an
        age in brackets are a person."""
        k = 0
        while True:
            try:
                k = words.index("(", k + 1)  # the brackets only, found in C
            except ValueError:
                return
            if k < 2 or not _at(words, k + 1).isdigit() \
                    or len(words[k + 1]) > 3 or _at(words, k + 2) != ")":
                continue
            given, family = words[k - 2], words[k - 1]
            if given in taken or family in taken or _at(words, k - 3) in DETERMINERS \
                    or not self._family_alone(family) or not (
                        self._given(given) or self._unknown_given(given)):
                continue
            found.append(Mention(k - 2, "person", f"{given} {family}"))
            taken.update((given, family))

    def _family_alone(self, word: str) -> bool:
        """May this word be a family name named again alone? Rare, not a given name,
        role or nationality, and no start of a gazetteer name."""
        return (len(word) >= 3 and word.isalpha() and not word.isupper()
                and zipf(word.lower()) < UNKNOWN_NAME_ZIPF + 0.5
                and not word.lower().endswith(NOUN_ENDINGS)
                and word not in self.first_names and not _is_role(word)
                and word not in DEMONYMS and word not in TITLES and word not in self._towns)

    def _no_known_word(self, word: str) -> bool:
        """The costlier half of ``_family_alone``, asked only of words named twice: no
        gazetteer name begins with it, and it is no German compound."""
        return not any(v in self.gaz.first_tokens for v in _variants(word)) \
            and not (len(word) >= 8 and _german_compound(word.lower()))

    def _unknown_given(self, word: str) -> bool:
        """May this word be a given name no list knows (``Bakr``, ``Sunita``)?"""
        lower = word.lower()
        return (_name_like(word, UNKNOWN_NAME_ZIPF) and word.isalpha()
                and lower not in STOP_WORDS and not _inflected_word(lower)
                and not (len(word) >= 8 and _german_compound(lower))  # "Tiergarten Schönbrunn"
                and not _is_role(word) and word not in DEMONYMS and word not in TITLES
                and word not in PLACE_NOUNS and word not in self._towns
                and not any(v in self.gaz.first_tokens for v in _variants(word)))

    def _after_preposition(self, words: list[str], j: int, found: list[Mention]) -> int:
        """``in Perg``, ``aus Kortrijk``: after a preposition of place, a word no German word
        list knows, standing alone, is a town."""
        word = _at(words, j)
        if not word[:1].isupper():
            return j
        if _at(words, j + 1)[:1].isupper():  # "in Uttar Pradesh", "in Maly Trostinec"
            second = words[j + 1]
            if _at(words, j + 2)[:1].isupper() or not self._unknown_town_cached(word) \
                    or not (self._unknown_town_cached(second) or self._foreign_place_word(second)):
                return j
            found.append(Mention(j, "place", f"{word} {_strip_genitive(second)}", word,
                                 words[j - 1]))
            return j + 2
        town = self._unknown_town_cached(word)
        if not town:
            return j
        found.append(Mention(j, "place", _strip_genitive(word), word, words[j - 1]))
        return j + 1

    def _foreign_place_word(self, word: str) -> bool:
        """The second word of a foreign place name: ``Pradesh``, ``Kong``: no German word."""
        return _is_cap(word) and word.isalpha() and len(word) >= 4 and zipf(word.lower()) == 0 \
            and not self._given(word) and word not in self.gaz.first_tokens

    def _unknown_town_cached(self, word: str) -> bool:
        return _memoised(self._unknown_towns, word, self._unknown_town, 100_000)

    def _unknown_town(self, word: str) -> bool:
        lower = word.lower()
        return not (
            not word.isalpha() or len(word) < 4 or zipf(lower) > 0
            or any(c.isupper() for c in word[1:]) or lower.endswith(NOUN_ENDINGS)
            or (word,) in self.gaz.by_surface or self._given(word) or _is_role(word)
            or self._surname_entries(word)[1] or _inflected_word(lower) or lower in NOT_TOWNS
            or (not lower.endswith(TOPONYM_ENDINGS)  # "in Kremsmünster", "in Mettingen"
                and any(_german_compound(lower[: len(lower) - len(end)])
                        for end in ("", "n", "en") if lower.endswith(end))))
        # "in Flüchtlingsthema", "nach Forschungslaboren": compounds of words are no towns;
        # a town that only begins a known name ("Helsingborgs IF") is still a town

    def _not_a_name_here(self, words: list[str], i: int, prev: str, entry: Entry) -> bool:
        """A one-word name that is also a common noun, after an article (``das Essen``),
        or a place before a sports event (``Europa League``, ``Australian Open``)."""
        following = _at(words, i + 1)
        if following in EVENT_WORDS:
            return True
        if prev in ("von", "of", "de") and _at(words, i - 2) in ("Preis", "Prix"):
            return True  # "Großer Preis von Monaco": a race, the place inside its name
        if words[i] in TOWNS_THAT_ARE_NOUNS and (
                (prev in ("und", "oder", ",") and i > 1 and _is_cap(words[i - 2])
                 and words[i - 2] not in self.gaz.first_tokens)
                or (following in ("und", "oder", ",") and _is_cap(_at(words, i + 2))
                    and _at(words, i + 2) not in self.gaz.first_tokens)):
            return True  # "Kleidung, Bücher oder Essen", "Essen und Trinken": a noun among nouns
        if words[i] in TOWNS_THAT_ARE_NOUNS and (_counted(prev) or prev in NOUN_PREPOSITIONS):
            return True  # "nach drei Siegen", "nicht auf Siegen aus"
        if prev in ("im", "ins") and words[i] in ("Grünen", "Grüne"):
            return True  # "ein Wochenende im Grünen": the countryside, not the party
        return entry.type == "place" and prev in DETERMINERS and zipf(words[i].lower()) >= 4.5

    def _town_adjective(self, words: list[str], i: int, n: int) -> bool:
        """``New Yorker Restaurant``: an organisation named like a town's adjective (``The New
        Yorker``) is the adjective before a noun."""
        last = words[i + n - 1]
        following = _at(words, i + n)
        return last.endswith("er") and _is_cap(following) and zipf(following.lower()) >= 3 \
            and self.gaz.resolve(" ".join(words[i:i + n])[:-2], "place") is not None

    def _classify(self, word: str) -> bool:
        """True for a word no rule can start at: not capitalised, or inert. Cached per
        word, as news repeats its vocabulary; this keeps the rules off the common path."""
        if _is_cap(word):
            skipped = self._inert(word)
        else:
            skipped = word != "(" and word not in SPEECH_VERBS and word not in self._lower_starts \
                and word not in TOWN_PREPOSITIONS and word != "&" \
                and word.split("-", 1)[0] not in self._lower_starts  # "dpa-Informationen"
        if len(self._skip) < 500_000:
            self._skip[word] = skipped
        return skipped

    def _inert(self, word: str) -> bool:
        """True for a capitalised word no rule can start at: most nouns. One pattern
        tells whether it ends like a role, an organisation's kind or an institution."""
        first = self.gaz.first_tokens
        return not (
            "-" in word or _TRIGGER_END.match(word.lower()[::-1]) is not None
            or word in self.first_names or word in self.world_given or word in self._towns
            or word in DEMONYMS or word in CHINESE_FAMILY_NAMES or word in VIETNAMESE_FAMILY_NAMES
            or word in PLACE_NOUNS or word in CLUB_PREFIXES or word in ABBREVIATED_TITLES
            or word in INSTITUTIONS_WITH_TOWN or word in ORG_HEAD_WORDS or _legal_form(word)
            or word in ORG_TAIL_WORDS or (word[-1:] == "s" and word[:-1] in ORG_TAIL_WORDS)
            or word in WORK_NOUNS or _name_adjective(word) or COMPASS_PLACE.match(word)
            or any(v in first for v in _variants(word))
            or self._surname_entries(word)[1] or self._compound_org(word) is not None)

    def _compass_place(self, word: str) -> str:
        """``Osteuropas`` -> ``Osteuropa``: a direction before a known place; the gazetteer's
        name where it lists the part (``Nordirak``), else the word in the nominative (cached
        per word: "Westen", "Mittelstand" come often)."""
        return _memoised(self._compass_places, word, self._compass_place_uncached)

    def _compass_place_uncached(self, word: str) -> str:
        match = COMPASS_PLACE.match(word)
        prefix = len(match.group(1)) + len(match.group(2) or "")
        for whole in (word, word[:-1]) if word.endswith("s") else (word,):
            entry = self.gaz.resolve(whole, "place")
            if entry is not None:
                return entry.canonical
            rest = whole[prefix:]
            if self.gaz.resolve(rest[0].upper() + rest[1:], "place") is not None:
                return whole
        return ""

    def _adjective_and_kind(self, words: list[str], i: int) -> tuple[str, str]:
        """``der Österreichischen Hagelversicherung``, ``laut Koreanischer Volksarmee``: an
        adjective written capitalised inside a sentence begins a name, here of an
        organisation when a kind of organisation follows, of a place when a kind of place
        follows (``am Persischen Golf``); its name in the nominative, and its type."""
        noun = _at(words, i + 1)
        if not _is_cap(noun) or noun.isupper() or "-" in noun or _at(words, i + 2) in ("für", "("):
            return "", ""  # the name goes on: "... für Volkskunde", "Partei (SP)"
        country = ""
        if _is_cap(after := _at(words, i + 2)):
            place = self.gaz.resolve(after[:-1], "place") if after.endswith("s") else None
            if place is None or _is_cap(_at(words, i + 3)):
                return "", ""  # the name goes on: "Medizinische Hochschule Linz"
            # "die Kommunistische Partei Frankreichs" is a party's name; other bodies are
            # named with their country as the guide names them: "Oberster Gerichtshof (Nordkorea)"
            country = f" {after}" if noun.lower().endswith("partei") \
                else f" ({place.canonical})"
        lower = noun.lower()
        kinds = [(suffix, gender, "org") for suffix, gender in KIND_GENDERS]
        if not country:
            kinds += [(suffix, gender, "place") for suffix, gender in PLACE_KIND_GENDERS]
        for suffix, gender, kind in kinds:
            stem = lower
            if gender != "f" and not lower.endswith(suffix):
                stem = lower.removesuffix("es") if lower.endswith(suffix + "es") \
                    else lower.removesuffix("s")  # "des Österreichischen Bauernbunds"
            if stem.endswith(suffix):
                break
        else:
            return "", ""
        noun = noun[:len(stem)]
        known = None if country or kind == "place" else self.gaz.resolve(noun, "org")
        if known is not None:
            return known.canonical, "org"  # "des Österreichischen Bauernbundes": the Bauernbund
        adjective = words[i]
        base = adjective[: adjective.rfind("isch") + 4] if "isch" in adjective \
            else _adjective_stem(adjective)
        name = f"{base}{ADJECTIVE_ENDING[gender]} {noun}{country}"
        entry = self.gaz.resolve(name, kind)
        return (entry.canonical if entry else name), kind

    def _compound_org(self, word: str) -> Entry | None:
        """``Kremlchef``, ``Bundestagswahl``: a closed compound led by an organisation."""
        if len(word) < 8 or not word.isalpha():
            return None
        return _memoised(self._compound_orgs, word, self._compound_org_uncached)

    def _compound_org_uncached(self, word: str) -> Entry | None:
        lower = word.lower()
        heads = self.gaz.org_heads
        if not any(lower[:k] in heads for k in range(3, min(len(lower) - 2, 20))):
            return None  # cheap test first: splitting is the expensive part
        parts = split_compound(lower)  # the key analysis caches it under
        if not parts:
            return None
        head = parts[0][:1].upper() + parts[0][1:]
        n, entries = self._gazetteer_match([head], 0)
        entry = self._choose(entries) if n else None
        return entry if entry is not None and entry.type == "org" else None

    def _org_name(self, name: str) -> str:
        entry = self.gaz.resolve(name, "org")
        return entry.canonical if entry else name

    def _institution(self, words: list[str], i: int) -> tuple[int, str] | None:
        """An institution by its form: ``Gesundheitsministerium``, ``Arbeiterkammer``,
        ``Bundeskartellamt``; ``Staatsanwaltschaft Wien``, ``Pariser Staatsanwaltschaft``."""
        word = words[i]
        base = _singular(word)
        a_lands = base.startswith("Landes")  # a Land's body, named only with its Land
        if (base in INSTITUTIONS_WITH_TOWN or a_lands) and i + 1 < len(words):
            n, entries = self._gazetteer_match(words, i + 1)
            entry = self._choose(entries) if n else None
            if entry is not None and entry.type == "place":
                before = words[i - 1] if i else ""
                if before.endswith(("ische", "ischen")) and _is_cap(before):
                    base = f"{before.removesuffix('n')} {base}"  # "Technische Universität"
                return n + 1, self._org_name(f"{base} {entry.canonical}")
        if (base in INSTITUTIONS_WITH_TOWN or a_lands) and i \
                and (state := _state_of(words[i - 1])):
            return 1, self._org_name(f"{base} {state}")  # "steirischen Landtag"
        town = self._town_of(word)
        if town and i + 1 < len(words) and _singular(words[i + 1]) in INSTITUTIONS_WITH_TOWN \
                and _at(words, i + 2) not in ("der", "für", "des", "of"):
            return 2, self._org_name(f"{_singular(words[i + 1])} {town}")
        name = _institution_word(word)
        if name is None or a_lands:
            return None  # "das Landeskriminalamt ermittelt": which Land's, the text says not
        return 1, self._org_name(name)

    def _town_of(self, word: str) -> str:
        """``Pariser`` -> ``Paris``, ``Brüsseler`` -> ``Brüssel``: a known town's adjective."""
        return self._towns.get(word, "")

    def _after_org_head(self, words: list[str], i: int, found: list[Mention]) -> int:
        """``Gewerkschaft Verdi``, ``Fernsehsender Rossija 24``, ``Tageszeitung Österreich``:
        the name after a noun that says what kind of organisation it names."""
        j, n = i + 1, len(words)
        media = _singular(words[i]).lower().endswith(MEDIA_HEAD_SUFFIXES)
        plural = _org_head_plural(words[i])
        if plural and _at(words, j) == "wie":
            j += 1  # "Internetkonzerne wie ..."
        length, entries = self._gazetteer_match(words, j)
        if length:
            entry = self._choose(entries)
            if media and entry is not None and entry.type != "org":
                for kind in ("Zeitung", "Magazin"):
                    outlet = self.gaz.resolve(f"{entry.canonical} ({kind})", "org")
                    if outlet is not None:
                        found.append(Mention(j, "org", outlet.canonical))
                        return j + length
            return j  # the main loop takes the known name
        first = words[j]
        if not _org_name_start(first) or self._given(first) or _is_role(first) \
                or first in DEMONYMS or first in PARTICLES:
            return j
        k = j + 1
        while k < n and k - j < 5:
            w = words[k]
            if w[:1].isdigit() and len(w) <= 4:
                k += 1
            elif _is_cap(w) and (w.isupper() or w in LEGAL_FORMS
                                 or zipf(w.lower()) < ORDINARY_WORD_ZIPF) and not _is_role(w):
                k += 1
            elif w in ORG_NAME_LINKS:
                m = k
                while m < n and words[m] in ORG_NAME_LINKS:
                    m += 1  # "Brothers to the Rescue", "Institute of Science"
                if m < n and _is_cap(words[m]):
                    k = m
                else:
                    break
            else:
                break
        parts = words[j:k]
        if _at(words, k) == "." and _at(words, k + 1) in WEB_DOMAINS:
            parts[-1] += "." + words[k + 1]  # "Werbeplanung.at"
            k += 2
        while parts and (parts[-1] in LEGAL_FORMS or parts[-1] in ORG_NAME_LINKS):
            parts.pop()
        if not parts:
            return j
        name = " ".join(parts)
        entry = self.gaz.resolve(name, "org")
        if entry is None and media:
            for article in ("Der", "Die", "Das"):
                entry = self.gaz.resolve(f"{article} {name}", "org")
                if entry is None:
                    entry = self.gaz.resolve(f"{name} (Zeitung)", "org")
                if entry is not None:
                    break
        found.append(Mention(j, "org", entry.canonical if entry else _strip_genitive(name)))
        if plural and _at(words, k) in (",", "und", "oder", "sowie") and k + 1 < n:
            return self._after_org_head(words, k, found)  # "Creditreform und KSV"
        return k

    def _club(self, words: list[str], i: int, found: list[Mention]) -> int:
        """``FC Ingolstadt``, ``SV Grödig``, ``SK Sturm Graz``."""
        j, n = i + 1, len(words)
        k = j
        while k < n and k - j < 3 and (_is_cap(words[k]) or (k > j and words[k].isdigit())):
            k += 1
        if k == j:
            return j
        name = " ".join(words[i:k])
        found.append(Mention(i, "org", self._org_name(name)))
        return k

    def _credit(self, words: list[str], i: int, found: list[Mention]) -> int:
        """``(Michael Matzenberger, 2.2.2016)``: the author's name in a closing credit."""
        j, n = i + 1, len(words)
        k = j
        while k < n and k - j < 4 and _is_cap(words[k]) and not words[k].isupper() \
                and (self._given(words[k]) or _name_like(words[k], GIVEN_NAME_ZIPF)):
            k += 1
        if k - j >= 2 and _at(words, k) == "," and CREDIT_DATE.match(_at(words, k + 1)) \
                and _at(words, k + 2) == ".":
            found.append(Mention(j, "person", " ".join(words[j:k])))
            return k
        if _at(words, i + 2) == ")" and _short_form(_at(words, i + 1)):
            return self._short_form_defined(words, i, found)
        return j

    def _short_form_defined(self, words: list[str], i: int, found: list[Mention]) -> int:
        """``International Drone Racing Association (IDRA)``: the name its initials spell,
        or ``des internationalen Verbandes (Fias)``: the short form after a kind of
        organisation. A short form of a name already found spells that name."""
        short = words[i + 1]
        if self._gazetteer_match(words, i + 1)[0]:
            return i + 1  # "(AfD)": the main loop takes a known name
        joined = self._name_around_short_form(words, i, found)
        if joined:
            return joined
        last = found[-1] if found else None
        if last is not None and last.type == "org" and i - 8 <= last.start < i and all(
                _is_cap(w) or w in ORG_NAME_LINKS or w[:1].isdigit()
                for w in words[last.start:i]):
            return i + 3  # "Wirtschaftskammer (WK)": the name just found
        k, initials = i, []
        while k > 0 and i - k < 8:
            w = words[k - 1]
            if _is_cap(w):
                initials.append(w[0])
            elif w not in ORG_NAME_LINKS and w not in ("für", "der", "und"):
                break
            k -= 1
            if "".join(reversed(initials)).upper() == short.upper() and _is_cap(words[k]):
                found.append(Mention(k, "org", self._org_name(" ".join(words[k:i]))))
                return i + 3
        if i and (_org_head(words[i - 1]) or _singular(words[i - 1]).endswith("liga")):
            found.append(Mention(i + 1, "org", self._org_name(short.upper())))
        return i + 3

    def _name_around_short_form(self, words: list[str], i: int, found: list[Mention]) -> int:
        """``der Technischen Universität (TU) Wien``: a known name the short form in brackets
        interrupts; the name read before the bracket gives way to it."""
        after = _at(words, i + 3)
        if not _is_cap(after):
            return 0
        k = i
        while k > 0 and i - k < 5 and _is_cap(words[k - 1]):
            k -= 1
        for start in range(k, i):
            run = words[start:i] + [after]
            length, entries = self._gazetteer_match(run, 0)
            entry = self._choose(entries) if length == len(run) else None
            if entry is not None:
                while found and found[-1].start >= start and found[-1].type == entry.type:
                    found.pop()
                found.append(Mention(start, entry.type, entry.canonical))
                return i + 4
        return 0

    def _dateline(self, text: str) -> list[Mention]:
        """``Pregarten – ``, ``Wien/Graz/Aurora – ``, ``Breslau (Wroclaw) – ``: the towns
        an agency-style report is filed from, after its lead."""
        head = text[:DATELINE_REACH]
        match = None
        for dash in (" – ", " - "):
            at = head.find(dash)
            while at >= 0 and match is None:  # the regex runs on the sentence before a dash
                start = _sentence_start(head, at)
                if 0 <= start and at - start < 120:
                    match = DATELINE.match(head, start, at + 8)
                at = head.find(dash, at + 1)
            if match is not None:
                break
        if match is None:
            return []
        out = []
        for part in re.split(r"\s*/\s*|\s*\(|\)", match.group(1)):
            part = part.strip()
            if not part:
                continue
            self._dateline_towns.add(part)
            first = part.split()[0]
            # the world's given names include towns ("Aurora", "Florence"): only the
            # common ones of German news rule a dateline out
            if self.gaz.resolve(part) is not None or first in self.first_names or _is_role(first) \
                    or not _name_like(first) or first in DEMONYMS:
                continue  # a known name is found where it stands; the rest is no town
            out.append(Mention(0, "place", part))
        return out

    def _localise(self, found: list[Mention]) -> None:
        """In a Swiss or Austrian article, ``Bundesrat``, ``Grüne``, ``FDP`` are that country's;
        in one about South Tyrol, ``SVP`` is the Südtiroler Volkspartei."""
        # places, and the parties, bodies and people the gazetteer knows as Swiss or Austrian
        # ("SPÖ", "Nationalrat"): an article about Graz's council names few places
        counts = Counter(self.gaz.country_of.get(m.name) if m.type == "place"
                         else self.gaz.org_country_of.get(m.name) for m in found)
        for m in found:  # "die europäische Union" is the EU anywhere
            if m.surface in ("Union", "Unions") and m.name == "CDU/CSU" \
                    and m.prev.lower() in ("europäische", "europäischen"):
                m.name = "Europäische Union"
        country = max(("CH", "AT", "ST"), key=lambda c: counts[c])
        if counts[country] < 2 or counts[country] <= counts["DE"]:
            return
        for m in found:
            if m.prev in GERMAN_ADJECTIVES:
                continue  # "der deutschen Bundesregierung"
            if m.surface.startswith("Union") and m.name == "CDU/CSU":
                m.name = "Europäische Union"  # Austrian and Swiss news: "die Union" is the EU
                continue
            local = self.gaz.local_variants.get((country, m.name))
            if local is not None and m.type == local.type:
                m.name = local.canonical

    def _choose(self, entries: list[Entry]) -> Entry | None:
        return entries[0] if len(entries) == 1 else None

    def _compound_parts(self, word: str, start: int) -> list[Mention]:
        """``Ukraine-Krieg``, ``Sturm-Graz-Profi``, ``Hypo-Alpe-Adria-Skandal``: what the
        parts of a hyphenated compound name, longest runs of parts first (cached per word)."""
        named = _memoised(self._compounds, word, lambda w: [
            (m.type, m.name, m.surface) for m in self._compound_parts_uncached(w)])
        return [Mention(start, kind, name, surface) for kind, name, surface in named]

    def _compound_parts_uncached(self, word: str) -> list[Mention]:
        start = 0
        parts = word.split("-")
        if not _is_cap(parts[-1]) or parts[-1] in COMPOUND_TAILS_NAMING_NOTHING:
            return []  # "US-amerikanisch", "US-Dollar"
        if parts[-1] in LEGAL_FORMS and len(parts) > 1:
            return [Mention(start, "org", self._org_name(
                f"{'-'.join(parts[:-1])} {parts[-1]}"))]  # "Öko-Stadt-GmbH"
        tail = _singular(parts[-1])
        if tail in ORG_COMPOUND_TAILS and len(parts) > 1 and (
                _org_name_start(parts[0]) or _arabic_article("-".join(parts[:2]))) \
                and not self._gazetteer_match(parts[:-1] if len(parts) > 2 else parts[:1], 0)[0] \
                and not self._surname_entries(parts[-2])[1]:  # "Berlusconi-Partei": his party
            return [Mention(start, "org", self._org_name("-".join(parts[:-1] + [tail])))]
        if len(parts) > 2 and parts[0] in self.first_names and self._family_like(parts[1]) \
                and not self._gazetteer_match(parts[1:2], 0)[0] \
                and self._gazetteer_match(parts[:2], 0)[0] != 2 \
                and not parts[-1].lower().endswith(NAMED_AFTER_TAILS):
            # "Nina-Simone-Film", not "Abu-Dhabi-Staatsholding"
            return [Mention(start, "person", f"{parts[0]} {parts[1]}")]
        out, k = [], 0
        while k < len(parts):
            for n in range(min(3, len(parts) - k), 0, -1):
                run = parts[k:k + n]
                if not (run[0] and (_is_cap(run[0]) or run[0] in self._lower_starts)) \
                        or not all(p and (_is_cap(p) or p.isdigit()) for p in run[1:]):
                    continue  # "Puls-4-Interview", "dpa-Informationen", not "Jahres-2015-Bilanz"
                length, entries = self._gazetteer_match(run if n > 1 else [run[0]], 0)
                if length != n:
                    continue
                entry = self._choose(entries)
                if entry is not None and _at(parts, k + n) not in EVENT_WORDS:
                    out.append(Mention(start, entry.type, entry.canonical, run[-1]))
                k += n  # not "Europa" of "Europa-League-Gegner": inside an event's name
                break
            else:
                part = parts[k]
                key, people = self._surname_entries(part) if part and _is_cap(part) else ("", [])
                if len(people) == 1 and _stands_alone(key):
                    out.append(Mention(start, "person", people[0].canonical))
                k += 1
        if parts[-1].lower().endswith(NAMED_AFTER_TAILS):
            # "Karl-Marx-Allee", "Sigmund-Freud-Universität": named after a person, who is not
            # named there
            out = [m for m in out if m.type != "person"]
        if parts[-1].lower().endswith(VENUE_TAILS):
            out = [m for m in out if m.type == "place"]
        return out  # in word order: the sort of all mentions is stable

    def _after_role(self, words, j, found, bare_surnames, strict: bool = False) -> int:
        """After a role noun: a gazetteer name, a full name, or a family name. ``strict``
        (after a nationality or a speech verb) takes a lone family name only if it is no
        German word at all: ``den Serben Lajovic``, not ``die Wiener Psychologen``."""
        if j >= len(words) or not _is_cap(words[j]):
            return j
        word = words[j]
        if _is_role(word) or word in DEMONYMS or word in TITLES or _place_noun(word) \
                or _org_head(word) or word.lower().endswith(NOUN_ENDINGS) \
                or (word in VIETNAMESE_FAMILY_NAMES and _vietnamese_name_part(_at(words, j + 1))):
            return j  # "Ex-Präsident Bürgermeister ...", "Schweizer Werbeagentur ...",
            # "Wirtschaftswissenschafter Flexibilisierung meinen": the main loop takes it
        n, entries = self._gazetteer_match(words, j)
        if n:
            return j  # the main loop takes it
        length = self._read_name(words, j)
        limit = GENITIVE_ZIPF if strict else COMMON_WORD_ZIPF
        if not length and word in self.first_names and _is_cap(_at(words, j + 1)) \
                and not _is_cap(_at(words, j + 2)) and self._family_word(words[j + 1]):
            length = 2  # "Manager Thomas Linke", "sagt Matthew Volk": a word as family name
        if not length:
            # "Präsidentin Maia Sandu": an unknown given name, then a family name
            if j + 1 < len(words) and _name_like(word, limit) and _name_like(words[j + 1], limit) \
                    and not self._read_name(words, j + 1):  # "Jungstar Belinda Bencic"
                length = 2
            elif j + 1 < len(words) and _name_like(word, GIVEN_NAME_ZIPF) \
                    and _name_like(words[j + 1], UNKNOWN_NAME_ZIPF) \
                    and not _german_compound(words[j + 1].lower()) \
                    and not self._read_name(words, j + 1) and word not in MONTHS:
                length = 2  # "Direktor Lasse Gustavsson": a given name that is a word too,
                # before a family name no word list knows
            elif _at(words, j + 1) in TRAILING_PARTICLES and _name_like(word, limit) \
                    and _is_cap(_at(words, j + 2)) and _name_like(words[j + 2], GIVEN_NAME_ZIPF):
                length = 3  # "Sultan Qabus bin Said"
        if length:
            found.append(Mention(j, "person", self._person_genitive(
                _join(words[j:j + length]), _noun_after(words, j + length))))
            return j + length
        if _name_like(word, limit) and not self._given(word) \
                and _TRIGGER_END.match(word.lower()[::-1]) is None:  # "des Obersten Gerichtshofs"
            key, entries = self._surname_entries(word)
            if entries:
                bare_surnames.append((j, key, entries))
                self._after_roles.add(j)
            elif strict or split_compound(word.lower()):
                # kept only if the article names the person in full ("Experten Senfgas": a
                # word made of German words is rarely a family name alone)
                bare_surnames.append((j, _strip_genitive(word, _at(words, j + 1)), []))
            else:
                found.append(Mention(j, "person", _strip_genitive(word, _at(words, j + 1))))
            return j + 1
        return j

    def _after_role_of(self, words, k, found, bare_surnames) -> int:
        """``Vizechef der Präsidialverwaltung Andrej Taranow``, ``Der Vorsitzende des
        ägyptischen Fremdenverkehrsverbands, Elhami Elsajat, sagte``: the name after the
        body a role belongs to; a lone word there counts only if the article names the
        person in full."""
        start = k
        while k < len(words) and k - start < 3 and words[k][:1].islower() \
                and words[k].endswith(("en", "er", "es")):
            k += 1  # "des ägyptischen ..."
        if k >= len(words) or not _is_cap(words[k]) or self._gazetteer_match(words, k)[0] \
                or (_name_like(words[k]) and not _german_compound(words[k].lower())):
            return start  # "Chef der Grünen", "Präsident der USA": the main loop takes it
        if _org_head(words[k]) and _at(words, k + 1) != ",":
            return start  # "Chef der Sicherheitsfirma Alert Logic": the firm's name follows
        k += 1
        if _at(words, k) == ",":
            k += 1
        resume = self._after_role(words, k, found, bare_surnames, strict=True)
        return resume if resume > k else start  # no name: the main loop reads the body

    def _canonical_person(self, name: str) -> str:
        """A rule-found name the gazetteer knows under another spelling gets its canonical."""
        entry = self.gaz.resolve(name, "person")
        if entry is None and " " in name:
            people = self.gaz.surnames.get(surname_of(name), [])
            given = name.split()[0]
            people = [p for p in people if any(n.split()[0] == given for n in p.names)]
            entry = people[0] if len(people) == 1 else None
        if entry is None and " " in name and name.split()[0] in HYPOCORISMS:
            full_forms = HYPOCORISMS[name.split()[0]]  # "Rudi Hundstorfer" is Rudolf
            people = [p for p in self.gaz.surnames.get(surname_of(name), [])
                      if p.canonical.split()[0] in full_forms]
            entry = people[0] if len(people) == 1 else None
        if entry is None and " " in name:  # "Schützenhofer": the umlaut dropped by a typo
            people = self.gaz.persons_by_plain.get(plain(name), [])
            entry = people[0] if len(people) == 1 else None
        return entry.canonical if entry else name

    def _resolve_surnames(self, found, bare_surnames) -> list[Mention]:
        for m in found:
            if m.type == "person":
                m.name = self._canonical_person(m.name)
        full = {}
        for m in found:
            if m.type == "person" and " " in m.name:
                full.setdefault(surname_of(m.name), m.name)
                first, _, rest = m.name.partition(" ")
                if rest.startswith(("bin ", "ibn ", "bint ")):
                    full.setdefault(first, m.name)  # "Sultan Qabus bin Said ... Qabus"
        longer = [m.name for m in found if m.type == "person" and m.name.count(" ") > 1]
        if longer:  # "Pablo Emilio Escobar" once, "Pablo Escobar" elsewhere: the short form
            pairs = {m.name for m in found if m.type == "person" and m.name.count(" ") == 1}
            for m in found:
                if m.type == "person" and m.name.count(" ") == 2:
                    parts = m.name.split()
                    short = f"{parts[0]} {parts[-1]}"
                    if short in pairs and self._given(parts[1]):
                        m.name = short
            longer = [m.name for m in found if m.type == "person" and m.name.count(" ") > 1]
        if longer:  # "Della Vedova" after "Benedetto Della Vedova"
            for m in found:
                if m.type == "person" and " " in m.name:
                    m.name = next((n for n in longer if n.endswith(f" {m.name}")), m.name)
        # a lone family name found by a rule ("Präsident Suchomlyn") is the full name given,
        # and so is a word the gazetteer knows as a place ("Rhein" after "Boris Rhein")
        for m in found:
            if m.type == "person" and " " not in m.name and m.name in full:
                m.name = full[m.name]
            elif m.type != "person" and m.surface and _strip_genitive(m.surface) in full:
                m.type, m.name = "person", full[_strip_genitive(m.surface)]
        # a word of a name the article gives is no other person's family name alone
        # ("Marin Cilic ... Marin" is not Sanna Marin); a family name that is a word too
        # ("Bas") counts alone after a role noun ("Arbeitsministerin Bas")
        named = {w for name in full.values() for w in name.split()} if bare_surnames else ()
        for start, key, entries in bare_surnames:
            if key in full:
                found.append(Mention(start, "person", full[key]))
            elif len(entries) == 1 and (_stands_alone(key) or start in self._after_roles) and (
                    key not in named or entries[0].canonical in full.values()):
                found.append(Mention(start, "person", entries[0].canonical))
        found.sort(key=lambda m: m.start)
        self._localise(found)
        self._clubs_for_towns(found)
        return found

    def _clubs_for_towns(self, found: list[Mention]) -> None:
        """In a sports report (two clubs named), a town a club is named after is that club
        (``Dortmund schlägt Stuttgart``, ``Austria-Trainer``), unless a preposition of
        place comes before it (``3:0 in Stuttgart``)."""
        clubs = {m.name for m in found if m.name in self.gaz.club_tokens_of}
        if len(clubs) < 2:
            return
        dateline = set(self._dateline_towns)
        for m in found:
            if m.surface in dateline and m.type == "place":
                dateline.discard(m.surface)  # the first mention is the dateline's
                continue
            word = _strip_genitive(m.surface) if m.surface else ""
            candidates = self.gaz.clubs_by_token.get(word)
            if candidates and " " in m.name and \
                    _at(self._words, m.start + 1) == m.name.split()[1]:  # "Tel Aviv" written
                # in full names a club by all its words, not "Salt Lake City"
                word = m.name
                candidates = tuple(c for c in candidates if all(
                    w in self.gaz.club_tokens_of[c] for w in m.name.split()))
            if not candidates or m.name in clubs or m.prev in PLACE_PREPOSITIONS \
                    or _place_noun(m.prev):
                continue
            club = self._club_meant(word, candidates, clubs, town=True)
            if club:
                m.type, m.name = "org", club
        if self._clubs_by_short_name(found, clubs):
            found.sort(key=lambda m: m.start)

    def _club_meant(self, word: str, candidates: tuple[str, ...], clubs: set[str],
                    town: bool) -> str:
        """The club a report means by a word of its name: the one the article names in
        full; else of the clubs of the sport the named clubs play (``Kapfenberg`` in a
        basketball report is the Kapfenberg Bulls), or by a town, with no such club, of its
        football clubs (the sport reports name most), the one named by that word alone
        (``Arsenal`` is FC Arsenal, not Arsenal Tula; ``Barcelona`` FC Barcelona, not
        Espanyol Barcelona). A word that is no town (``Gunners``) needs a club of the
        report's sport."""
        named = [c for c in candidates if c in clubs]
        if named:
            return named[0] if len(named) == 1 else ""
        sport = self.gaz.sport_of_club
        sports = {sport.get(c) for c in clubs}
        same = [c for c in candidates if sport.get(c) in sports]
        if not same and town:
            same = [c for c in candidates if sport.get(c) == "Fußballklub"]
        alone = [c for c in same if " ".join(
            w for w in c.split() if w not in CLUB_PREFIXES and not w.rstrip(".").isdigit()) == word]
        if len(alone) == 1 or len(same) == 1:
            return (alone or same)[0]
        return ""

    def _clubs_by_short_name(self, found: list[Mention], clubs: set[str]) -> bool:
        """In a sports report, a club named by a word of its name that is no place and no
        common word: ``Chelsea (10 Punkte)``, ``Arsenals Ausgangslage``."""
        seen = {m.surface for m in found}
        words, added = self._words, False
        for k, word in enumerate(words):
            if not _is_cap(word) or word in seen or (k and words[k - 1] in PLACE_PREPOSITIONS) \
                    or (k and _is_cap(words[k - 1]) and _name_like(words[k - 1])):
                continue  # "Red Bull Juniors": the last word of an unknown name
            token = word
            if token not in self.gaz.clubs_by_token and token.endswith("s"):
                token = token[:-1]  # "Arsenals Ausgangslage"
            candidates = self.gaz.clubs_by_token.get(token)
            if not candidates or zipf(token.lower()) >= CLUB_WORD_ZIPF \
                    or token in NOT_CLUB_SHORT_NAMES \
                    or (_is_cap(after := _at(words, k + 1))  # "Chelsea Clinton", but
                        and (self._given(token) or zipf(after.lower()) < UNKNOWN_NAME_ZIPF)):
                continue  # "Schachtjor Karagandy" is no "Schachtar Donezk"
            club = self._club_meant(token, candidates, clubs, town=False)
            if club:
                found.append(Mention(k, "org", club, word, words[k - 1] if k else ""))
                seen.add(word)
                added = True
        return added

    def extract(self, title: str, body: str) -> dict[str, list[str]]:
        """Canonical names by field (``persons``, ``orgs``, ``places``), first mention first."""
        body = GLUED_WORDS.sub(self._unglue, body)
        result = self._names(self.mentions(f"{title}.\n{body}"))
        report = without_result_box(body)
        if report is not body:
            # Persons and places of a result box are lists, not what the article is
            # about; its fixtures do name the clubs the report calls by their towns, so
            # the clubs the report names so, and the towns that are clubs, are read with
            # the box.
            in_report = self._names(self.mentions(f"{title}.\n{report}"))
            for field in ("persons", "places"):
                kept = set(in_report[field])
                result[field] = [name for name in result[field] if name in kept]
            # of the box's clubs, those the report names by a word of theirs ("Salzburg")
            report_words = set(TOKEN.findall(report))
            kept = set(in_report["orgs"])
            result["orgs"] = [name for name in result["orgs"] if name in kept
                              or self.gaz.club_tokens_of.get(name, frozenset()) & report_words]
        return result

    def _unglue(self, match: re.Match) -> str:
        """``CharkiwSelenskyj``, ``ARD BrüsselWas``: two words a feed lost the space or the
        full stop between (headlines run together); split after a known name, unless the
        whole is a word or begins a name of its own (``YouTube``, ``PayPal``)."""
        left, right = match.group(1), match.group(2)
        whole = left + right
        if zipf(whole.lower()) > 0 or whole in self.gaz.first_tokens or whole in NOT_GLUED:
            return whole  # "TransCanada Corp"
        if self.gaz.by_surface.get((left,)) or self._surname_entries(right)[1]:
            return f"{left}. {right}"  # a headline or byline that ends or begins in a name
        if self._given(left) or _is_role(left):
            return f"{left} {right}"  # "HansNiessl", "BürgermeisterThomas Steiner"
        return whole  # "TransCanada", "LinkScience": a name or a word of its own

    @staticmethod
    def _names(mentions: list[Mention]) -> dict[str, list[str]]:
        result: dict[str, list[str]] = {f: [] for f in FIELD_OF_TYPE.values()}
        for m in mentions:
            names = result[FIELD_OF_TYPE[m.type]]
            if m.name not in names:
                names.append(m.name)
        return result


ARTICLES = frozenset({"der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem",
                      "eines", "einer", "seinen", "seinem", "ihren", "ihrem"})
ARTICLE_PARTICLES = frozenset({"der", "den", "das", "des"})
GENITIVE_ONLY_ENDINGS = ("ys", "rgs", "nns", "ys'")
ROMAN_NUMERALS = frozenset("I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI".split())
ORG_NAME_LINKS = frozenset({"of", "for", "and", "the", "to", "de", "du", "des", "la", "le",
                            "del", "della", "di", "&", "+"})
PLACE_NOUN_SUFFIXES = ("stadt", "metropole", "hauptstadt", "hochburg", "gemeinde", "dorf")
WEB_DOMAINS = frozenset({"at", "de", "ch", "com", "net", "org", "eu"})
# any word a role, organisation-kind, institution or place-noun rule may start at
_TRIGGER_END = _ending(ROLE_SUFFIXES + ORG_HEAD_SUFFIXES + ORG_HEAD_PLURALS + INSTITUTION_SUFFIXES
                       + PLACE_NOUN_SUFFIXES, "ne|n|se|s")


# a capitalised word run into the next: "CharkiwSelenskyj" (see EntityExtractor._unglue)
NOT_GLUED = frozenset({"DeutschlandTrend"})  # ARD's poll, written so
GLUED_WORDS = re.compile(r"\b([A-ZÄÖÜ][a-zäöüß]{2,})([A-ZÄÖÜ][a-zäöüß]{2,})\b")
# The closing credit of an agency-style report: "(APA, 5.12.2015)", "(red – 29.7. 2015)".
CLOSING_CREDIT = re.compile(r"\((?:[^()]{0,80}?[,–-]\s*)?\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{4}|\d{2})\)")
# What a result box, line-up or table is made of: scores and times, placings, country
# codes, the words that head its parts.
RESULT_BOX_SIGNAL = re.compile(
    r"\b\d{1,3}:\d{1,3}\b|(?<![\w.])\d{1,2}\.\s+(?=[A-ZÄÖÜ])|\([A-Z]{3}\)"
    r"|\b(?:Ergebnisse|Aufstellungen?|Ersatz|Tore|Endstand|Tabelle|Gelbe Karten|Zuschauer"
    r"|Es fehlen|Torschützen|Stand)\b")


def without_result_box(body: str) -> str:
    """The report without the result box, line-ups or table printed after its closing
    credit: the names there are lists, not what the article is about (the annotation
    guide leaves them out). A tail is a box when at least 3 in 100 of its words, and 3
    at least, are scores, placings, country codes or box headings."""
    last = None
    for last in CLOSING_CREDIT.finditer(body):
        pass
    if last is None:
        return body
    tail = body[last.end():]
    words = len(tail.split())
    signals = len(RESULT_BOX_SIGNAL.findall(tail))
    if words < 5 or signals < 3 or signals * 100 < 3 * words:
        return body
    return body[:last.end()]


def _sentence_start(text: str, end: int) -> int:
    """Where the sentence holding ``text[end]`` begins (after ". ", "? ", "! ", ": ", not
    after the full stop of "St."), or -1."""
    while True:
        stop = max(text.rfind(". ", 0, end), text.rfind("? ", 0, end),
                   text.rfind("! ", 0, end), text.rfind(": ", 0, end))
        if stop < 0:
            return -1
        if text[max(0, stop - 2):stop] != "St":
            return stop + 2
        end = stop


def _chinese_given_name(word: str) -> bool:
    """A given name in pinyin after a Chinese family name: one or two syllables, no
    German word (``Qiang``, ``Jianmei``; not ``Lange``)."""
    return len(word) > 1 and word[0].isupper() and word[1:].islower() \
        and PINYIN_GIVEN_NAME.match(word.lower()) is not None \
        and zipf(word.lower()) < UNKNOWN_NAME_ZIPF


def _vietnamese_name_part(word: str) -> bool:
    """A syllable of a Vietnamese given name: short, capitalised, no German word
    (``Phu``, ``Van``, ``Thuong``)."""
    return word in ("Van", "Thi", "Văn", "Thị") or (
        2 <= len(word) <= 6 and word[0].isupper() and word[1:].islower()
        and zipf(word.lower()) < UNKNOWN_NAME_ZIPF)


def _join(words: list[str]) -> str:
    """Words of a name, an initial's full stop kept on it: ``Christopher B. Landon``."""
    return " ".join(words).replace(" .", ".")


_MISSING = object()


def _memoised(cache: dict, word: str, compute, limit: int = 200_000):
    """``compute(word)``, kept in ``cache`` while it holds fewer than ``limit`` words: news
    repeats its vocabulary, and a bound keeps a long build's memory flat."""
    value = cache.get(word, _MISSING)
    if value is _MISSING:
        value = compute(word)
        if len(cache) < limit:
            cache[word] = value
    return value


def _name_adjective(word: str) -> bool:
    """``Österreichische``, ``Koreanischen``, ``Junge``, ``Obersten``: an adjective in -isch
    or one that often begins names, inflected."""
    if word.endswith(("ische", "ischen", "ischer", "isches", "ischem")):
        return len(word) > 7
    return _adjective_stem(word) in NAME_ADJECTIVE_STEMS


def _adjective_stem(word: str) -> str:
    """``Obersten`` -> ``Oberst``; the stem of an inflected adjective ("" for none)."""
    for ending in ("en", "em", "er", "es", "e"):
        if word.endswith(ending):
            return word[: -len(ending)]
    return ""


def _state_of(adjective: str) -> str:
    """``niederösterreichischen`` -> ``Niederösterreich``: the state an adjective names."""
    lower = adjective.lower()
    for ending in ("en", "em", "er", "es", "e"):
        if lower.endswith(ending) and lower[: -len(ending)] in STATE_ADJECTIVES:
            return STATE_ADJECTIVES[lower[: -len(ending)]]
    return ""


def _strip_accents(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word)
                   if not unicodedata.combining(c))


def _arabic_article(word: str) -> bool:
    """``al-Sisi``, ``el-Baradei``, ``Al-Assad``, ``ad-Din``: a family name with its article."""
    head, _, rest = word.partition("-")
    return head in ("al", "el", "ad", "as", "an", "ar", "at", "az", "ash", "Al", "El") \
        and rest[:1].isupper() and len(rest) > 2


@lru_cache(maxsize=100_000)
def _singular(word: str) -> str:
    """A noun without its genitive ending: ``Gesundheitsministeriums`` -> ``...ministerium``."""
    for suffix in ("es", "s"):
        if word.endswith(suffix) and len(word) > 6 and not word.endswith("ss"):
            stem = word[: -len(suffix)]
            if stem.lower().endswith(("ium", "amt", "hof", "at", "ag", "ar", "er", "ent", "ch",
                                      "rat", "gericht", "konzern", "blatt", "magazin", "portal",
                                      "unternehmen", "institut", "netzwerk", "bündnis",
                                      "sender", "verband", "verein", "journal", "studio",
                                      "label", "fonds", "klub", "club", "hersteller")):
                return stem
    return word


@lru_cache(maxsize=100_000)
def _org_head(word: str) -> bool:
    """A noun that says an organisation's name follows: ``Elektronikhersteller``."""
    lower = _singular(word).lower()
    return (len(lower) >= 4 and lower.endswith(ORG_HEAD_SUFFIXES)) or word in ORG_HEAD_WORDS \
        or _org_head_plural(word)


@lru_cache(maxsize=100_000)
def _org_head_plural(word: str) -> bool:
    """``Gläubigerschutzverbände``, ``Internetkonzerne``: a list of names may follow."""
    lower = word.lower()
    return len(lower) >= 6 and lower.removesuffix("n").endswith(ORG_HEAD_PLURALS)


@lru_cache(maxsize=100_000)
def _place_noun(word: str) -> bool:
    if word in PLACE_NOUNS:
        return True
    lower = _singular(word).lower()
    return len(lower) > 7 and lower.endswith(PLACE_NOUN_SUFFIXES) and zipf(lower) < 4.5


@lru_cache(maxsize=100_000)
def _institution_word(word: str) -> str | None:
    """The nominative of an institution named by its form, or None."""
    if not _is_cap(word) or len(word) < 8:
        return None
    base = _singular(word)
    tail = base.rsplit("-", 1)[-1]
    lower = tail.lower()
    if lower.endswith("ministerium") and len(lower) > len("ministerium"):
        return base
    if lower.endswith("kammer") and lower[:-6].endswith(KAMMER_HEADS):
        return base
    if lower.startswith(("bundes", "landes")) and lower.endswith(
            ("amt", "anstalt", "gericht", "gerichtshof", "anwaltschaft", "behörde", "agentur")) \
            and len(lower) > 10:
        return base
    if lower.endswith("gerichtshof") and len(lower) > len("gerichtshof"):
        return base
    return None


TITLE_LINKS = frozenset({"mon", "ma", "of", "the", "and", "a", "de", "la", "le", "du", "der",
                         "die", "das", "des", "und", "in", "im", "am", "von", "vom", "for", "to"})


# what a paper named like a phrase ("Die Zeit", "Die Welt", "Die Presse") does when it opens a
# sentence as the paper: "Die Zeit berichtete", not "Die Zeit drängt"
REPORTING_VERBS = frozenset({
    "berichtet", "berichtete", "berichten", "schreibt", "schrieb", "meldet", "meldete",
    "zitiert", "zitierte", "enthüllte", "enthüllt", "veröffentlichte", "veröffentlicht",
    "titelt", "titelte", "recherchierte", "erfuhr", "kommentiert", "kommentierte", "fragte",
    "befragte", "interviewte", "zufolge", "(", ","})


def _common_phrase_opening(words: list[str], i: int, n: int) -> bool:
    """``Die Zeit drängt``, ``Die Welt schaut zu``: a name of article and common noun that
    opens a sentence is the phrase unless a verb of reporting follows."""
    return n == 2 and words[i] in ("Die", "Der", "Das") and (i == 0 or words[i - 1] in SENTENCE_END) \
        and zipf(words[i + 1].lower()) >= 4.5 and _at(words, i + 2) not in REPORTING_VERBS


def _title_end(words: list[str], j: int) -> int:
    """Where a work's title after its noun ends: capitalised words and the small words
    between them (``Hiroshima mon amour``, ``Das Märchen der Märchen``), at most six."""
    k = j
    while k < len(words) and k - j < 6 and (
            _is_cap(words[k]) and words[k] not in SENTENCE_END
            or (k > j and words[k] in TITLE_LINKS and k + 1 < len(words))):
        k += 1
    return k


def _legal_form(word: str) -> bool:
    """``GmbH``, ``AG``, also ``Gmbh`` and a compound ``HandelsgmbH``."""
    return word in LEGAL_FORMS or word == "Gmbh" or (len(word) > 6 and word.endswith(("gmbH", "GmbH")))


def _short_form(word: str) -> bool:
    """``IDRA``, ``ABL``, ``Fias``: two to six letters, in capitals or a capital and lower case."""
    return 2 <= len(word) <= 6 and word.isalpha() and word[0].isupper() \
        and (word.isupper() or len(word) <= 5)


def _inflected_word(lower: str) -> bool:
    """``Verschütteten``, ``Stadträten``: an inflected form of a word the table knows."""
    return any(lower.endswith(end) and zipf(lower[: -len(end)]) > 0
               for end in ("en", "n", "e", "s", "es", "ern"))


@lru_cache(maxsize=100_000)
def _german_compound(lower: str) -> bool:
    """Does the word split into German words, or end in a German word of five or more
    letters (``Schlagbohrermodus``, ``Wörtherseestadion``)?"""
    if split_compound(lower):
        return True
    return any(zipf(lower[k:]) >= 3.5 for k in range(1, len(lower) - 4))


def _org_name_start(word: str) -> bool:
    """May an organisation's name begin with this word? Not with a common German word,
    unless written like a brand (``ESPN``, ``iWork``, ``WeAreDevelopers``)."""
    if not _is_cap(word) or len(word) < 2:
        return False
    if word.isupper() or any(c.isupper() for c in word[1:]) or any(c.isdigit() for c in word):
        return True
    lower = word.lower()
    return not lower.endswith(NOUN_ENDINGS) and zipf(lower) < COMMON_WORD_ZIPF \
        and not (len(lower) >= 8 and split_compound(lower))  # "Ausgleichszölle"


def _strip_genitive(name: str, following: str = "", preceding: str = "") -> str:
    """``Scholz'`` -> ``Scholz``; ``Donald Trumps Wahlkampf`` -> ``Donald Trump``;
    ``die Alleinregierung Bruno Kreiskys`` -> ``Bruno Kreisky``.

    A name ending in ``s`` directly before a capitalised noun, or after one, is a
    genitive in German ("Trumps Zölle", "Regierung Kreiskys"); anywhere else the
    ``s`` may be the name's own.
    """
    for suffix in ("'s", "’s", "'", "’"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    if " " in name and name.endswith(GENITIVE_ONLY_ENDINGS):
        return name[:-1]  # "Mark Zuckerbergs", "Jürgen Klinsmanns": few names end so
    if name[-1:] != "s":
        return name
    last = name[name.rfind(" ") + 1:].lower()
    if zipf(last[:-1]) == 0 < zipf(last):
        return name  # "Pernell Harris", "Jones": known with the s, unknown without it
    if not name.endswith("ss") and (
            following[:1].isupper() or (" " in name and preceding[:1].isupper()
                                        and preceding.lower() not in STOP_WORDS
                                        and zipf(preceding.lower()) < 5
                                        and len(preceding) > 3 and not _is_role(preceding)
                                        and preceding not in DEMONYMS
                                        and (not preceding.endswith("er")
                                             or preceding.endswith(KIN_NOUNS)))):
        # a noun in -er before a name names a person ("der Bolivianer Ronald Raldes"), not
        # what a genitive after it would belong to ("die Regierung Bruno Kreiskys"), unless
        # it names kin ("die Stieftochter Johnny Rottens")
        return name[:-1]
    return name


def _counted(word: str) -> bool:
    """A number or quantifier before a role noun makes it plural: ``300 Polizisten``,
    ``mehrere Minister``."""
    return word.isdigit() or word.lower() in QUANTIFIERS


def _noun_after(words: list[str], i: int) -> str:
    """The word at i, or the noun after it when it is an inflected adjective: a name in -s
    before ``frühen Versuchen`` or ``neuem Film`` is a genitive as before ``Film``."""
    word = _at(words, i)
    if word.islower() and word.endswith(("e", "em", "en", "er", "es")) and len(word) > 3 \
            and word not in SPEECH_VERBS and word not in STOP_WORDS \
            and _at(words, i + 1)[:1].isupper():
        return words[i + 1]
    return word


def _particle_at(words: list[str], j: int) -> bool:
    """A particle of a name at j; ``der``, ``den``, ``das`` only after another particle
    (``von der Leyen``, ``van den Berg``), not after a name (``Osborne das Vorhaben``)."""
    word = words[j]
    return word in PARTICLES and (word not in ARTICLE_PARTICLES
                                  or (j > 0 and words[j - 1] in PARTICLES))


def _at(words: list[str], i: int) -> str:
    return words[i] if i < len(words) else ""


@lru_cache(maxsize=1)
def default_extractor() -> EntityExtractor:
    return EntityExtractor()


def extract_entities(title: str, body: str) -> dict[str, list[str]]:
    return default_extractor().extract(title, body)
