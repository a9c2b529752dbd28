// Decline codes in plain words, for the person on the phone with the customer.
const EXPLANATIONS: Record<string, string> = {
  generic_decline:
    'The bank declined the card without giving a reason. Ask for another card, or for the customer to call their bank.',
  insufficient_funds: 'The card has insufficient funds. Ask for another card.',
  lost_card: 'The card has been reported lost. Do not retry it; ask for another card.',
  stolen_card: 'The card has been reported stolen. Do not retry it; ask for another card.',
  expired_card: 'The card has expired. Check the expiry date, or ask for another card.',
  incorrect_cvc: 'The security code (CVC) is wrong. Ask the customer to read it again.',
  processing_error: 'The card could not be processed just now. Try the same card again in a moment.',
  fraudulent: 'The bank suspects fraud and declined the card. Ask for another card.',
  authentication_required: 'The bank requires the customer to authenticate this payment (3D Secure).',
  payment_intent_authentication_failure:
    'The customer did not complete authentication. Try again, or use another card.',
  card_declined: 'The card was declined. Ask for another card.',
  incorrect_number: 'The card number is wrong. Ask the customer to read it again.',
};

export function explainDecline(code: string, declineCode: string | null): string {
  return (
    (declineCode && EXPLANATIONS[declineCode]) ||
    EXPLANATIONS[code] ||
    `The card was declined (${declineCode ?? code}). Ask for another card.`
  );
}
