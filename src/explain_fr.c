/* explain_fr.c: every --explain note in French, one entry per id of
 * explain_text.h. Texts only, no logic; typography: a space before ":" and
 * ";", guillemets « », apostrophe ’. {1}..{9} are filled by explain.c. */
#include "explain_text.h"

const char *const explain_text_fr[EXPLAIN_N] = {
	[EX_CLASS_1] = "réponse préliminaire (inutilisée en SMTP)",
	[EX_CLASS_2] = "fait",
	[EX_CLASS_3] = "continuez",
	[EX_CLASS_4] = "réessayez plus tard",
	[EX_CLASS_5] = "refusé",
	[EX_SECOND_0] = "syntaxe",
	[EX_SECOND_1] = "information",
	[EX_SECOND_2] = "connexion",
	[EX_SECOND_3] = "non spécifié",
	[EX_SECOND_4] = "non spécifié",
	[EX_SECOND_5] = "système de messagerie",
	[EX_FMT_REPLY] = "{1} : {2} ({3}xx), {4} (x{5}x) : {6}",
	[EX_FMT_ENHANCED] = "{1} (RFC 3463) : {2}, {3} : {4}",
	[EX_REPLY_BAD] =
	    "réponse invalide : une réponse commence par un code à trois "
	    "chiffres (RFC 5321 4.2)",
	[EX_REPLY_CONT] =
	    "le tiret après le code annonce d’autres lignes de cette "
	    "réponse ; la dernière a une espace après le code",
	[EX_R211] = "état du système, ou réponse d’aide",
	[EX_R214] = "message d’aide, destiné à un humain",
	[EX_R220] = "service prêt",
	[EX_R221] = "le service ferme la connexion : au revoir",
	[EX_R235] = "authentification réussie (RFC 4954)",
	[EX_R250] = "action demandée effectuée",
	[EX_R251] =
	    "destinataire non local ; le serveur fera suivre le message",
	[EX_R252] =
	    "impossible de vérifier le destinataire, mais le serveur "
	    "accepte le message et tentera de le remettre",
	[EX_R334] =
	    "poursuivez l’authentification : le défi du serveur, en "
	    "base64 (RFC 4954)",
	[EX_R354] =
	    "commencez l’envoi du message ; terminez-le par <CRLF>.<CRLF>",
	[EX_R421] =
	    "service indisponible, fermeture de la connexion (serveur en "
	    "cours d’arrêt ou surchargé)",
	[EX_R450] =
	    "boîte aux lettres momentanément indisponible (occupée, ou "
	    "retenue par une règle comme le greylisting)",
	[EX_R451] = "erreur locale de traitement : action abandonnée",
	[EX_R452] =
	    "espace de stockage insuffisant (ou trop de destinataires)",
	[EX_R454] =
	    "TLS momentanément indisponible (RFC 3207), ou échec "
	    "temporaire d’authentification (RFC 4954)",
	[EX_R455] =
	    "le serveur ne peut pas satisfaire les paramètres demandés",
	[EX_R500] =
	    "erreur de syntaxe, commande non reconnue (ou ligne trop "
	    "longue)",
	[EX_R501] = "erreur de syntaxe dans les paramètres ou les arguments",
	[EX_R502] = "commande non implémentée",
	[EX_R503] =
	    "mauvais enchaînement de commandes (par exemple RCPT avant "
	    "MAIL)",
	[EX_R504] = "paramètre de commande non implémenté",
	[EX_R521] = "cet hôte n’accepte aucun courrier (RFC 7504)",
	[EX_R530] = "authentification obligatoire (RFC 4954)",
	[EX_R534] = "mécanisme d’authentification trop faible (RFC 4954)",
	[EX_R535] = "identifiants d’authentification invalides (RFC 4954)",
	[EX_R538] =
	    "chiffrement exigé pour ce mécanisme d’authentification (RFC "
	    "4954)",
	[EX_R550] =
	    "boîte aux lettres indisponible (inexistante, accès refusé ou "
	    "refus par une règle)",
	[EX_R551] =
	    "destinataire non local ; le client doit essayer l’adresse "
	    "indiquée par le serveur",
	[EX_R552] = "allocation de stockage dépassée (message trop gros)",
	[EX_R553] =
	    "nom de boîte aux lettres non autorisé (syntaxe incorrecte)",
	[EX_R554] =
	    "transaction échouée (en guise d’accueil : pas de service "
	    "SMTP ici)",
	[EX_R555] =
	    "paramètres de MAIL FROM/RCPT TO non reconnus ou non "
	    "implémentés",
	[EX_R556] = "le domaine n’accepte pas de courrier (RFC 7504)",
	[EX_R_OTHER] =
	    "un code que la RFC 5321 ne définit pas : il se lit par ses "
	    "chiffres",
	[EX_R220_GREETING] =
	    "l’accueil : le serveur est prêt et se présente ; le client "
	    "ne parle qu’après lui (RFC 5321 3.1)",
	[EX_R220_TLS] =
	    "prêt pour TLS (RFC 3207) : la négociation TLS suit, et tout "
	    "ce qui vient ensuite est chiffré",
	[EX_R250_HELO] =
	    "le serveur accepte le nom du client ; pas d’extensions dans "
	    "une session à l’ancienne (HELO)",
	[EX_R250_EHLO] =
	    "le serveur accepte EHLO ; les lignes suivantes listent les "
	    "extensions qu’il propose",
	[EX_R250_MAIL] =
	    "expéditeur accepté : une transaction de courrier commence",
	[EX_R250_RCPT] =
	    "destinataire accepté : le message sera remis à cette adresse",
	[EX_R250_DATA_END] =
	    "message accepté : le serveur est désormais responsable de sa "
	    "remise, ou de l’envoi d’un avis de non-remise (RFC 5321 6.1)",
	[EX_R250_BDAT] = "bloc reçu ; le client envoie le suivant",
	[EX_R250_BDAT_LAST] =
	    "dernier bloc reçu : le message est accepté, le serveur en "
	    "est désormais responsable (RFC 3030)",
	[EX_R250_RSET] = "transaction annulée : enveloppe et message oubliés",
	[EX_R354_DATA] =
	    "continuez : envoyez le message (en-têtes, ligne vide, corps) "
	    "et terminez-le par une ligne ne contenant qu’un point",
	[EX_NO_MAIL] =
	    "réponse à MAIL FROM : l’expéditeur est refusé, aucune "
	    "transaction ne commence",
	[EX_NO_RCPT] =
	    "réponse à RCPT TO : ce destinataire est refusé ; les autres "
	    "ne sont pas concernés",
	[EX_NO_DATA] =
	    "réponse à DATA : le serveur ne prendra pas de message "
	    "maintenant",
	[EX_NO_MESSAGE] =
	    "réponse à la fin du message : le message est refusé ; le "
	    "client doit en informer son expéditeur",
	[EX_NO_AUTH] =
	    "réponse à AUTH : l’authentification a échoué ; le client "
	    "n’est pas authentifié",
	[EX_NO_TEMP] =
	    "échec temporaire : le client garde le message dans sa file "
	    "d’attente et réessaiera plus tard (RFC 5321 4.5.4.1)",
	[EX_R334_DECODED] = "« {1} » est le base64 de « {2} »",
	[EX_R334_BINARY] =
	    "une fois décodé du base64, le défi fait {1} octets et n’est "
	    "pas du texte (défi CRAM-MD5 ou SCRAM)",
	[EX_R334_EMPTY] =
	    "un défi vide : le client envoie maintenant ses identifiants "
	    "(AUTH PLAIN sans réponse initiale)",
	[EX_E_CLASS_2] = "succès",
	[EX_E_CLASS_4] = "échec temporaire",
	[EX_E_CLASS_5] = "échec définitif",
	[EX_E_SUBJ_0] = "autre",
	[EX_E_SUBJ_1] = "adressage",
	[EX_E_SUBJ_2] = "boîte aux lettres",
	[EX_E_SUBJ_3] = "système de messagerie",
	[EX_E_SUBJ_4] = "réseau et routage",
	[EX_E_SUBJ_5] = "protocole de remise",
	[EX_E_SUBJ_6] = "contenu ou format du message",
	[EX_E_SUBJ_7] = "sécurité ou politique",
	[EX_E_0_0] = "autre statut, non défini",
	[EX_E_1_0] = "autre statut d’adresse",
	[EX_E_1_1] = "adresse de destination inexistante",
	[EX_E_1_2] = "système de destination inconnu",
	[EX_E_1_3] = "syntaxe de l’adresse de destination incorrecte",
	[EX_E_1_4] = "adresse de destination ambiguë",
	[EX_E_1_5] = "adresse de destination valide",
	[EX_E_1_6] =
	    "la boîte de destination a déménagé, sans adresse de suivi",
	[EX_E_1_7] = "syntaxe de l’adresse de l’expéditeur incorrecte",
	[EX_E_1_8] = "système de l’expéditeur invalide",
	[EX_E_1_10] =
	    "le domaine du destinataire a un MX nul : il ne reçoit pas de "
	    "courrier (RFC 7505)",
	[EX_E_2_0] = "autre statut de boîte aux lettres",
	[EX_E_2_1] = "boîte désactivée, n’accepte pas de messages",
	[EX_E_2_2] = "boîte pleine",
	[EX_E_2_3] =
	    "message plus long que la limite fixée par l’administrateur",
	[EX_E_2_4] = "problème d’expansion de liste de diffusion",
	[EX_E_3_0] = "autre statut du système de messagerie",
	[EX_E_3_1] = "système de messagerie plein",
	[EX_E_3_2] = "le système n’accepte pas de messages du réseau",
	[EX_E_3_3] =
	    "le système ne prend pas en charge les fonctions demandées",
	[EX_E_3_4] = "message trop gros pour le système",
	[EX_E_3_5] = "système mal configuré",
	[EX_E_4_0] = "autre statut de réseau ou de routage",
	[EX_E_4_1] = "pas de réponse de l’hôte",
	[EX_E_4_2] = "mauvaise connexion",
	[EX_E_4_3] = "échec du serveur d’annuaire (DNS)",
	[EX_E_4_4] = "routage impossible",
	[EX_E_4_5] = "système de messagerie encombré",
	[EX_E_4_6] = "boucle de routage détectée",
	[EX_E_4_7] = "délai de remise expiré",
	[EX_E_5_0] = "autre statut de protocole",
	[EX_E_5_1] = "commande invalide",
	[EX_E_5_2] = "erreur de syntaxe",
	[EX_E_5_3] = "trop de destinataires",
	[EX_E_5_4] = "arguments de commande invalides",
	[EX_E_5_5] = "mauvaise version de protocole",
	[EX_E_5_6] =
	    "ligne d’échange d’authentification trop longue (RFC 4954)",
	[EX_E_6_0] = "autre erreur de format",
	[EX_E_6_1] = "format non pris en charge",
	[EX_E_6_2] = "conversion nécessaire mais interdite",
	[EX_E_6_3] = "conversion nécessaire mais non prise en charge",
	[EX_E_6_4] = "conversion effectuée avec perte",
	[EX_E_6_5] = "échec de la conversion",
	[EX_E_7_0] = "autre statut de sécurité",
	[EX_E_7_0_AUTH] = "authentification réussie (RFC 4954)",
	[EX_E_7_1] = "remise non autorisée, message refusé",
	[EX_E_7_2] = "expansion de liste interdite",
	[EX_E_7_3] = "conversion de sécurité nécessaire mais impossible",
	[EX_E_7_4] = "fonctions de sécurité non prises en charge",
	[EX_E_7_5] = "échec cryptographique",
	[EX_E_7_6] = "algorithme cryptographique non pris en charge",
	[EX_E_7_7] = "échec du contrôle d’intégrité du message",
	[EX_E_7_8] = "identifiants d’authentification invalides (RFC 4954)",
	[EX_E_7_9] = "mécanisme d’authentification trop faible (RFC 4954)",
	[EX_E_7_11] =
	    "chiffrement exigé pour ce mécanisme d’authentification (RFC "
	    "4954)",
	[EX_E_7_12] =
	    "un changement de mot de passe est nécessaire (RFC 4954)",
	[EX_E_7_13] = "compte utilisateur désactivé",
	[EX_E_7_14] = "relation de confiance exigée",
	[EX_E_7_25] = "échec de la vérification du DNS inverse (RFC 7372)",
	[EX_E_7_26] =
	    "plusieurs contrôles d’authentification ont échoué (SPF, "
	    "DKIM…) (RFC 7372)",
	[EX_E_7_27] =
	    "le domaine de l’expéditeur a un MX nul : il ne peut pas "
	    "recevoir de réponse (RFC 7505)",
	[EX_E_OTHER] = "un détail que la RFC 3463 ne définit pas",
	[EX_C_HELO] =
	    "HELO : le client salue le serveur et donne son nom ; forme "
	    "ancienne, il ne demande aucune extension (RFC 5321 4.1.1.1)",
	[EX_C_EHLO] =
	    "EHLO : le client donne son nom et demande quelles extensions "
	    "ESMTP le serveur propose (RFC 5321 4.1.1.1)",
	[EX_C_MAIL] =
	    "MAIL FROM : ouvre une transaction et donne l’expéditeur de "
	    "l’enveloppe (le chemin de retour, où vont les avis de "
	    "non-remise), qui peut différer de l’en-tête From: (RFC 5321 "
	    "4.1.1.2)",
	[EX_C_MAIL_NULL] =
	    "MAIL FROM:<> : le chemin de retour nul : ce message est un "
	    "avis de non-remise ou de distribution, auquel on ne répond "
	    "jamais par un autre avis (RFC 5321 4.5.5)",
	[EX_C_MAIL_EMPTY] =
	    "MAIL FROM: sans aucune adresse, pas même <> : erreur de "
	    "syntaxe, le serveur doit refuser (501)",
	[EX_C_RCPT] =
	    "RCPT TO : un destinataire de l’enveloppe ; le serveur remet "
	    "le message selon l’enveloppe, pas selon l’en-tête To: (RFC "
	    "5321 4.1.1.3)",
	[EX_C_DATA] =
	    "DATA : le client demande à envoyer le message lui-même ; "
	    "après le 354 du serveur viennent les en-têtes, une ligne "
	    "vide, le corps, puis une ligne ne contenant qu’un point (RFC "
	    "5321 4.1.1.4)",
	[EX_C_BDAT] =
	    "BDAT {1} : les {1} octets suivants du message, en un bloc ; "
	    "pas de point final, la taille dit où il s’arrête (CHUNKING, "
	    "RFC 3030)",
	[EX_C_BDAT_LAST] =
	    "BDAT {1} LAST : le dernier bloc ({1} octets) ; après lui le "
	    "message est complet (RFC 3030)",
	[EX_C_RSET] =
	    "RSET : abandonne la transaction en cours (enveloppe et "
	    "message) ; la connexion reste ouverte (RFC 5321 4.1.1.5)",
	[EX_C_VRFY] =
	    "VRFY : demande si une adresse est une vraie boîte ; beaucoup "
	    "de serveurs refusent de le dire, pour cacher leurs "
	    "utilisateurs aux spammeurs (RFC 5321 4.1.1.6, 7.3)",
	[EX_C_EXPN] =
	    "EXPN : demande les membres d’une liste de diffusion ; en "
	    "général désactivé, par discrétion (RFC 5321 4.1.1.7)",
	[EX_C_HELP] =
	    "HELP : demande un texte d’aide destiné à un humain (RFC 5321 "
	    "4.1.1.8)",
	[EX_C_NOOP] =
	    "NOOP : ne fait rien ; le serveur répond 250, ce qui montre "
	    "que la connexion est vivante (RFC 5321 4.1.1.9)",
	[EX_C_QUIT] =
	    "QUIT : le client a fini ; le serveur répond 221 et ferme la "
	    "connexion (RFC 5321 4.1.1.10)",
	[EX_C_STARTTLS] =
	    "STARTTLS : demande à transformer cette connexion en "
	    "connexion TLS chiffrée (RFC 3207) ; après le 220 du serveur, "
	    "plus rien n’est lisible",
	[EX_C_AUTH] =
	    "AUTH {1} : le client demande à s’authentifier avec le "
	    "mécanisme SASL {1} (RFC 4954)",
	[EX_C_AUTH_IR] =
	    "AUTH {1} avec réponse initiale : les identifiants sont sur "
	    "la même ligne, encodés en base64 (RFC 4954 4) ; smtpscope "
	    "masque le mot de passe, sauf avec --show-credentials",
	[EX_C_AUTH_RESP] =
	    "la réponse du client au défi du serveur, encodée en base64 "
	    "(RFC 4954 4)",
	[EX_C_AUTH_CANCEL] =
	    "« * » : le client annule l’authentification ; le serveur "
	    "répond 501 (RFC 4954 4)",
	[EX_C_ETRN] =
	    "ETRN : demande au serveur d’envoyer tout de suite le "
	    "courrier en attente pour un domaine (RFC 1985)",
	[EX_C_TURN] =
	    "TURN : demande d’inverser les rôles, le serveur devenant "
	    "client ; obsolète, et dangereux sans authentification (RFC "
	    "821)",
	[EX_C_ATRN] =
	    "ATRN : TURN authentifié : après connexion, les rôles "
	    "s’inversent pour remettre au client son courrier en attente "
	    "(RFC 2645)",
	[EX_C_OLD_SEND] =
	    "{1} : une commande de la RFC 821 pour envoyer vers un "
	    "terminal au lieu d’une boîte, ou en plus ; obsolète, presque "
	    "jamais prise en charge",
	[EX_C_UNKNOWN] =
	    "une commande que smtpscope ne connaît pas ; un serveur "
	    "répond 500 (commande non reconnue) ou 502 (non implémentée)",
	[EX_C_EMPTY] =
	    "une ligne vide : ce n’est pas une commande ; un serveur "
	    "répond 500",
	[EX_N_MESSAGE] =
	    "le message lui-même (en-têtes, ligne vide, corps), terminé "
	    "par une ligne ne contenant qu’un point ; une ligne du corps "
	    "qui commence par un point est envoyée avec un point de plus "
	    "(dot-stuffing, RFC 5321 4.5.2)",
	[EX_N_CHUNK] =
	    "les octets du bloc, envoyés tels quels : BDAT n’a besoin ni "
	    "de point final ni de points doublés",
	[EX_N_AUTH_MASKED] =
	    "smtpscope a décodé cette réponse base64 et dit ce qu’elle "
	    "contient, mot de passe masqué ; --show-credentials montre la "
	    "ligne telle qu’envoyée",
	[EX_N_CREDS_SHOWN] =
	    "--show-credentials : cette ligne est montrée telle qu’envoyée, "
	    "mot de passe compris",
	[EX_N_TLS] =
	    "des enregistrements TLS chiffrés : sans les clés, personne "
	    "sur le chemin ne peut les lire",
	[EX_B64_NO_SECRET] =
	    "le base64 est un encodage, pas un chiffrement : quiconque "
	    "capture cet échange peut décoder l’identifiant et le mot de "
	    "passe ; seul TLS (STARTTLS ou port 465) les protège",
	[EX_X_SIZE] =
	    "SIZE : le serveur a une taille maximale de message ; le "
	    "client peut déclarer la taille dans MAIL FROM (RFC 1870)",
	[EX_X_SIZE_N] =
	    "SIZE {1} : le serveur accepte les messages jusqu’à {1} "
	    "octets ; le client peut déclarer la taille dans MAIL FROM "
	    "(RFC 1870)",
	[EX_X_PIPELINING] =
	    "PIPELINING : le client peut envoyer plusieurs commandes sans "
	    "attendre chaque réponse (RFC 2920)",
	[EX_X_8BITMIME] =
	    "8BITMIME : le message peut contenir des octets 8 bits "
	    "(BODY=8BITMIME) (RFC 6152)",
	[EX_X_DSN] =
	    "DSN : le client peut demander des avis de remise (NOTIFY, "
	    "RET, ENVID, ORCPT) (RFC 3461)",
	[EX_X_SMTPUTF8] =
	    "SMTPUTF8 : adresses et en-têtes peuvent être écrits en "
	    "UTF-8, pas seulement en ASCII (RFC 6531)",
	[EX_X_CHUNKING] =
	    "CHUNKING : le client peut envoyer le message en blocs BDAT "
	    "au lieu de DATA (RFC 3030)",
	[EX_X_BINARYMIME] =
	    "BINARYMIME : le message peut contenir des parties MIME "
	    "binaires, envoyées par BDAT (RFC 3030)",
	[EX_X_STARTTLS] =
	    "STARTTLS : le client peut passer cette connexion en "
	    "chiffrement TLS (RFC 3207)",
	[EX_X_AUTH] =
	    "AUTH {1} : le client peut s’authentifier, avec ces "
	    "mécanismes SASL (RFC 4954)",
	[EX_X_ENHANCEDSTATUSCODES] =
	    "ENHANCEDSTATUSCODES : les réponses portent un code étendu, "
	    "comme 2.1.5, après le code de réponse (RFC 2034, RFC 3463)",
	[EX_X_VRFY] =
	    "VRFY : le serveur répond aux demandes VRFY de vérification "
	    "d’adresse (RFC 5321 3.5)",
	[EX_X_EXPN] =
	    "EXPN : le serveur répond aux demandes EXPN d’expansion de "
	    "liste (RFC 5321 3.5)",
	[EX_X_ETRN] =
	    "ETRN : le client peut demander au serveur de vider sa file "
	    "d’attente pour un domaine (RFC 1985)",
	[EX_X_DELIVERBY] =
	    "DELIVERBY : le client peut fixer un délai de remise avec BY= "
	    "(RFC 2852)",
	[EX_X_REQUIRETLS] =
	    "REQUIRETLS : le client peut exiger TLS à chaque étape "
	    "suivante du message (RFC 8689)",
	[EX_X_HELP] = "HELP : le serveur répond à HELP (RFC 5321 4.1.1.8)",
	[EX_X_ATRN] =
	    "ATRN : TURN authentifié, relais de courrier à la demande "
	    "(RFC 2645)",
	[EX_X_MTRK] = "MTRK : suivi des messages (RFC 3885)",
	[EX_X_FUTURERELEASE] =
	    "FUTURERELEASE : le client peut demander que le message soit "
	    "retenu jusqu’à une date donnée (RFC 4865)",
	[EX_X_LIMITS] =
	    "LIMITS : le serveur annonce d’avance ses limites "
	    "(destinataires, transactions) (RFC 9422)",
	[EX_X_NO_SOLICITING] =
	    "NO-SOLICITING : le serveur dit ne vouloir aucune "
	    "sollicitation (RFC 3865)",
	[EX_X_XCLIENT] =
	    "XCLIENT : une extension de Postfix : un mandataire de "
	    "confiance transmet le nom et l’adresse du vrai client",
	[EX_X_PIPECONNECT] =
	    "PIPECONNECT : le client peut envoyer EHLO et ses premières "
	    "commandes sans attendre l’accueil (Exim, un Internet-Draft)",
	[EX_X_OTHER] =
	    "{1} : une extension que smtpscope ne connaît pas (propre à "
	    "un éditeur, ou rare)",
	[EX_M_CLEAR] =
	    "{1} envoie le mot de passe lui-même, seulement encodé en "
	    "base64 : lisible par quiconque sur le chemin, sauf sous TLS",
	[EX_M_CHALLENGE] =
	    "{1} fonctionne par défi-réponse : le mot de passe lui-même "
	    "ne passe jamais sur le réseau",
	[EX_M_TOKEN] =
	    "{1} envoie un jeton OAuth, pas un mot de passe (RFC 7628) ; "
	    "le jeton a quand même besoin de TLS",
	[EX_M_KERBEROS] =
	    "{1} utilise des tickets Kerberos (RFC 4752) : aucun mot de "
	    "passe sur le réseau",
	[EX_M_OTHER] = "{1} : un mécanisme SASL que smtpscope ne décrit pas",
	[EX_P_SIZE] =
	    "SIZE={1} : le client annonce un message d’environ {1} "
	    "octets, pour que le serveur puisse le refuser tout de suite "
	    "plutôt qu’après le transfert (RFC 1870)",
	[EX_P_BODY] =
	    "BODY={1} : le corps est en 7BIT, 8BITMIME (RFC 6152) ou "
	    "BINARYMIME (RFC 3030)",
	[EX_P_SMTPUTF8] =
	    "SMTPUTF8 : ce message utilise des adresses ou des en-têtes "
	    "en UTF-8 (RFC 6531)",
	[EX_P_RET] =
	    "RET={1} : un avis d’échec doit renvoyer le message entier "
	    "(FULL) ou seulement ses en-têtes (HDRS) (RFC 3461)",
	[EX_P_ENVID] =
	    "ENVID : un identifiant de cette enveloppe, rappelé dans tout "
	    "avis de remise (RFC 3461)",
	[EX_P_AUTH] =
	    "AUTH={1} : l’identité de l’expéditeur telle que l’étape "
	    "précédente l’a authentifiée ; <> si elle est inconnue (RFC "
	    "4954 5)",
	[EX_P_NOTIFY] =
	    "NOTIFY={1} : quand envoyer un avis de remise pour ce "
	    "destinataire : NEVER (jamais), ou SUCCESS, FAILURE, DELAY "
	    "(RFC 3461)",
	[EX_P_ORCPT] =
	    "ORCPT : l’adresse d’origine du destinataire, avant tout "
	    "renvoi, pour les avis de remise (RFC 3461)",
	[EX_P_BY] =
	    "BY={1} : remettre dans ce nombre de secondes, sinon prévenir "
	    "(RFC 2852)",
	[EX_P_REQUIRETLS] =
	    "REQUIRETLS : chaque serveur après celui-ci doit utiliser TLS "
	    "pour ce message (RFC 8689)",
	[EX_P_OTHER] = "{1} : un paramètre que smtpscope ne connaît pas",
	[EX_T_ACCEPTED] =
	    "transaction {1} : acceptée : le serveur a pris le message et "
	    "en est désormais responsable",
	[EX_T_REJECTED] =
	    "transaction {1} : refusée : le serveur a refusé "
	    "l’expéditeur, tous les destinataires ou le message",
	[EX_T_ABORTED] =
	    "transaction {1} : abandonnée par le client (RSET, QUIT ou un "
	    "nouveau MAIL) avant qu’un message soit accepté",
	[EX_T_INCOMPLETE] =
	    "transaction {1} : sa fin n’est pas dans la capture "
	    "(connexion fermée, ou fin de la capture)",
	[EX_T_NULL_PATH] =
	    "l’expéditeur de l’enveloppe est vide (<>) : ce message est "
	    "un avis de non-remise ou de distribution (RFC 5321 4.5.5)",
	[EX_T_ENV_ONLY] =
	    "{1} est destinataire dans l’enveloppe mais ne figure ni dans "
	    "l’en-tête To: ni dans Cc: : copie cachée (Bcc), liste de "
	    "diffusion ou renvoi ; c’est l’enveloppe qui décide où va le "
	    "courrier, les en-têtes ne sont que ce que lit le "
	    "destinataire",
	[EX_T_HDR_ONLY] =
	    "{1} est nommé dans les en-têtes mais n’est pas destinataire "
	    "dans cette enveloppe : cette copie ne lui est pas remise "
	    "(une autre transaction peut s’en charger, ou l’en-tête n’est "
	    "que du texte)",
	[EX_T_FROM_DOMAIN] =
	    "le domaine de l’expéditeur de l’enveloppe ({1}) diffère de "
	    "celui de From: ({2}) : normal pour les listes de diffusion, "
	    "les renvois et les services d’envoi, mais un From: falsifié "
	    "a exactement le même aspect ; SPF vérifie l’enveloppe, DMARC "
	    "lie à elle le domaine de From:",
	[EX_T_NO_FROM] =
	    "le message n’a pas d’en-tête From:, que la RFC 5322 exige "
	    "pourtant",
	[EX_T_BCC_HEADER] =
	    "le message porte un en-tête Bcc:, normalement retiré avant "
	    "l’envoi : ses destinataires sont visibles de tous",
	[EX_T_NO_RECEIVED] =
	    "pas encore de ligne Received: : le message vient directement "
	    "du logiciel de son auteur ; ce serveur ajoutera la première",
	[EX_T_RECEIVED_N] =
	    "lignes Received: dans le message : {1} ; chaque serveur "
	    "ajoute la sienne au-dessus, on les lit donc de bas (la plus "
	    "ancienne) en haut",
	[EX_T_HOP] = "étape {1} : {2} a remis le message à {3}",
	[EX_T_HOP_WITH] = " en {1}",
	[EX_T_HOP_ON] = " le {1}",
	[EX_T_HOP_FOR] = " (pour {1})",
	[EX_T_HOP_RAW] =
	    "étape {1} : une ligne Received: que smtpscope n’a pas su "
	    "lire",
	[EX_T_HOP_NONAME] = "un hôte sans nom",
};
