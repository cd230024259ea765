/** Messages of sign-in and sign-out (`auth.*`). */
export const auth = {
  'fr-FR': {
    'auth.signIn.title': 'Connexion',
    'auth.signIn.intro':
      'Connectez-vous avec la fédération d’identité de votre administration. Saisissez votre adresse professionnelle : Entente vous oriente vers la bonne fédération.',
    'auth.signIn.email': 'Adresse e-mail professionnelle',
    'auth.signIn.emailHint': 'Par exemple : prenom.nom@ministere.gouv.fr',
    'auth.signIn.continue': 'Continuer',
    'auth.signIn.orChoose': 'Ou choisissez votre fédération',
    'auth.signIn.with': 'Se connecter avec {provider}',
    'auth.signIn.demoNote':
      'Mode démo : les fédérations marquées « démo » sont des fournisseurs d’essai intégrés à Entente, pas les vrais services. Essayez camille.martin@numerique.demo-gouv-fr.test ou emilie.tremblay@mcn.demo-gouv-qc.test.',
    'auth.signIn.errorHeading': 'La connexion n’a pas abouti',
    'auth.header.signIn': 'Se connecter',
    'auth.header.signOut': 'Se déconnecter',
    'auth.header.signOutFailed': 'La déconnexion a échoué ; réessayez.',
  },
  'fr-CA': {
    'auth.signIn.email': 'Adresse courriel professionnelle',
    'auth.signIn.emailHint': 'Par exemple : prenom.nom@ministere.gouv.qc.ca',
  },
  en: {
    'auth.signIn.title': 'Sign in',
    'auth.signIn.intro':
      'Sign in with your administration’s identity federation. Type your work email address: Entente takes you to the right federation.',
    'auth.signIn.email': 'Work email address',
    'auth.signIn.emailHint': 'For example: first.last@ministry.gouv.fr',
    'auth.signIn.continue': 'Continue',
    'auth.signIn.orChoose': 'Or choose your federation',
    'auth.signIn.with': 'Sign in with {provider}',
    'auth.signIn.demoNote':
      'Demo mode: the federations marked “demo” are test providers built into Entente, not the real services. Try camille.martin@numerique.demo-gouv-fr.test or emilie.tremblay@mcn.demo-gouv-qc.test.',
    'auth.signIn.errorHeading': 'Sign-in did not complete',
    'auth.header.signIn': 'Sign in',
    'auth.header.signOut': 'Sign out',
    'auth.header.signOutFailed': 'Signing out failed; try again.',
  },
};

export type AuthKey = keyof (typeof auth)['fr-FR'];
